//! The provider's logs: `klachten.csv` (complaints), `escalaties.csv` (escalations) and
//! `verbeteracties.csv` (improvement actions), tied to the P1s and to the counts drawn with
//! the measurements, with one row as people type it that `check` rejects.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::NaiveDate;

use super::csv::csv_line;
use super::measurements::LogCounts;
use super::rca::P1Record;
use super::rng::Rng;
use super::vocabulary::SCHOOLS;

const COMPLAINT_SUBJECTS: &[&str] = &[
    "Lange wachttijd aan de telefoon",
    "Laptop na reparatie nog steeds traag",
    "Geen terugkoppeling op een melding",
    "Storing digibord niet binnen de afgesproken tijd opgelost",
    "Factuur #12 = $40 te hoog [onderwerp zoals ingevoerd]",
];
const COMPLAINT_OUTCOMES: &[&str] = &[
    "excuses aangeboden, extra bezetting op maandagochtend",
    "toestel vervangen",
    "terugbelafspraak vastgelegd in de werkinstructie",
    "oorzaak besproken met de school",
];

/// Writes the logs: the complaints per month (as many as `counts` says), an escalation in
/// each month with two or more, and the improvement actions per quarter. Both steps draw from
/// one stream, complaints first.
pub(super) fn write_logs(dir: &Path, seed: u64, p1s: &[P1Record], counts: &LogCounts) -> io::Result<()> {
    let mut rng = Rng::new(seed, 4);
    let complaints = write_complaints(dir, &mut rng, p1s, counts)?;
    write_actions(dir, &mut rng, p1s, counts, &complaints)
}

/// `d` moved by `n` days.
fn day(d: NaiveDate, n: i64) -> NaiveDate {
    d + chrono::Duration::days(n)
}

/// `klachten.csv` and `escalaties.csv`: the complaints per month (the first one about the
/// month's P1 from its school), an escalation in each month with two or more. The last
/// month's last complaint is still being handled. Returns (id, received) of every complaint,
/// for the actions that answer to one.
fn write_complaints(dir: &Path, rng: &mut Rng, p1s: &[P1Record], counts: &LogCounts) -> io::Result<Vec<(String, NaiveDate)>> {
    let last_month = counts.complaints.last().map(|(m, _)| *m);
    let mut complaints = BufWriter::new(File::create(dir.join("klachten.csv"))?);
    let mut escalations = BufWriter::new(File::create(dir.join("escalaties.csv"))?);
    complaints.write_all(b"id,received,school,channel,subject,ticket,handled,outcome\n")?;
    escalations.write_all(b"id,date,level,subject,ticket,resolved,note\n")?;
    // (id, received) of every complaint, for the actions that answer to one.
    let mut written: Vec<(String, NaiveDate)> = Vec::new();
    let mut escalation_number = 1;
    for &(month, n) in &counts.complaints {
        let month_end = day(month + chrono::Months::new(1), -1);
        let p1 = p1s.iter().find(|p| p.opened.date() >= month && p.opened.date() <= month_end);
        let mut last_received = month;
        for i in 0..n {
            let received = day(month, rng.range(1, 24) + i as i64);
            last_received = last_received.max(received);
            let id = format!("K{:03}", written.len() + 1);
            let subject = *rng.pick(COMPLAINT_SUBJECTS);
            // The P1's school complains about it.
            let (school, ticket) = match p1 {
                Some(p) if i == 0 => (SCHOOLS[p.school].name, p.id.as_str()),
                _ => (SCHOOLS[rng.range(0, SCHOOLS.len() as i64 - 1) as usize].name, ""),
            };
            let open = Some(month) == last_month && i + 1 == n;
            let handled = if open { String::new() } else { day(received, rng.range(1, 8)).to_string() };
            let outcome = if open { "" } else { *rng.pick(COMPLAINT_OUTCOMES) };
            let channel = *rng.pick(&["telefoon", "e-mail", "overleg"]);
            csv_line(&mut complaints, &[&id, &received.to_string(), school, channel, subject, ticket, &handled, outcome])?;
            written.push((id, received));
        }
        if n >= 2 {
            let raised = day(last_received, 1);
            let resolved = day(raised, rng.range(5, 15));
            let resolved = if resolved <= month_end || Some(month) != last_month { resolved.to_string() } else { String::new() };
            let (level, subject) = if n >= 3 {
                ("strategisch", "Herhaalde klachten over de bereikbaarheid van de servicedesk")
            } else {
                ("tactisch", "Klachten over de afhandeling van meldingen")
            };
            let id = format!("E{:03}", escalation_number);
            escalation_number += 1;
            csv_line(&mut escalations, &[&id, &raised.to_string(), level, subject, "", &resolved, "besproken in het tactisch overleg"])?;
        }
    }
    complaints.flush()?;
    escalations.flush()?;
    Ok(written)
}

/// `verbeteracties.csv`: per quarter as many implemented actions as `counts` says, each
/// answering to a KPI, a recurring issue, a P1's RCA or a complaint, plus one action overdue
/// and one due later; and one row as people type it, which `check` rejects.
fn write_actions(dir: &Path, rng: &mut Rng, p1s: &[P1Record], counts: &LogCounts, complaints: &[(String, NaiveDate)]) -> io::Result<()> {
    let last_month = counts.complaints.last().map(|(m, _)| *m);
    let mut actions = BufWriter::new(File::create(dir.join("verbeteracties.csv"))?);
    actions.write_all(b"id,title,source,owner,opened,due,implemented,status,note\n")?;
    let mut number = 0;
    for &((year, q), n) in &counts.actions {
        let Some(start) = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1) else { continue };
        let end = day(start + chrono::Months::new(3), -1);
        // Only days the demo covers.
        let covered_end = last_month.map_or(end, |m| end.min(day(m + chrono::Months::new(1), -1)));
        let p1 = p1s.iter().find(|p| p.resolved.date() >= start && p.resolved.date() <= covered_end);
        let complaint = complaints.iter().find(|(_, d)| *d >= start && *d <= covered_end);
        let sources: Vec<(String, &str, &str)> = [
            p1.map(|p| (format!("rca:{}", p.id), "Monitoring op de kernswitch uitgebreid", "Netwerkbeheer")),
            Some(("issue:werkplek / chromebook".to_string(), "Chromebooks in één keer naar de nieuwste ChromeOS", "Werkplekbeheer")),
            Some(("kpi:first_contact_resolution".to_string(), "Kennisbankartikelen voor wachtwoordreset", "Servicedesk")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let span = (covered_end - start).num_days().max(1);
        for i in 0..n as usize {
            number += 1;
            let (source, title, owner) = &sources[i % sources.len()];
            let implemented = day(start, rng.range(span / 2, span));
            let opened = day(start, -rng.range(10, 40));
            let due = day(implemented, rng.range(0, 10));
            csv_line(&mut actions, &[&format!("VA-{number:03}"), title, source, owner, &opened.to_string(), &due.to_string(), &implemented.to_string(), "geïmplementeerd", ""])?;
        }
        // One overdue at the end of the covered months (answering to a complaint when the
        // quarter had one), one due in the month after.
        number += 1;
        let opened = day(start, rng.range(0, 20));
        let (source, title, owner, note) = match complaint {
            Some((id, _)) => (format!("complaint:{id}"), "Extra bezetting telefoon op maandagochtend", "Servicedesk", "rooster nog niet rond"),
            None => ("issue:netwerk / wifi".to_string(), "Wifi-dekking gymzalen meten", "Netwerkbeheer", "wacht op toegang tot de gymzalen"),
        };
        csv_line(&mut actions, &[&format!("VA-{number:03}"), title, &source, owner, &opened.to_string(), &day(covered_end, -rng.range(3, 12)).to_string(), "", "in uitvoering", note])?;
        number += 1;
        csv_line(&mut actions, &[&format!("VA-{number:03}"), "Werkinstructie terugbellen bij P1", "kpi:response_time", "Servicedesk", &opened.to_string(), &day(covered_end, rng.range(5, 25)).to_string(), "", "open", ""])?;
    }
    // A row as people type it, which `check` rejects (a date in words).
    csv_line(&mut actions, &[&format!("VA-{:03}", number + 1), "Printerstoringen bundelen", "", "Werkplekbeheer", "eind oktober", "", "", "open", ""])?;
    actions.flush()
}
