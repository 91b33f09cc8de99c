//! `measurements.csv`: the KPIs the provider measures by hand (CMDB accuracy, patches,
//! provisioning, SSO, reports on time monthly; OS, licences, privileges, meetings per quarter;
//! training per half year), and how many complaints and improvement actions the logs hold.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::csv::csv_line;
use super::rng::Rng;
use super::vocabulary::MONTHS_NL;

/// `measurements.csv` as it is written, counting its rows.
struct Measurements {
    out: BufWriter<File>,
    rows: u64,
}

impl Measurements {
    fn row(&mut self, period: &str, kpi: &str, value: &str, note: &str) -> io::Result<()> {
        self.rows += 1;
        csv_line(&mut self.out, &[period, kpi, value, note])
    }
}

/// A percentage in `[lo, hi]` with one decimal.
fn percent(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    ((lo + (hi - lo) * rng.unit()) * 10.0).round() / 10.0
}

/// How many complaints per month and implemented improvement actions per quarter the
/// logs hold: drawn here, from the stream the measurements once held them in, so the other
/// measurements keep their values.
#[derive(Default)]
pub(super) struct LogCounts {
    pub(super) complaints: Vec<(NaiveDate, u64)>,
    pub(super) actions: Vec<((i32, u32), u64)>,
}

/// Writes `measurements.csv` (monthly, then quarterly, then half-yearly rows) and fills
/// `counts` for the logs. Returns the number of rows.
pub(super) fn write_measurements(dir: &Path, seed: u64, months: &[NaiveDate], counts: &mut LogCounts) -> io::Result<u64> {
    let mut rng = Rng::new(seed, 3);
    let mut m = Measurements {
        out: BufWriter::new(File::create(dir.join("measurements.csv"))?),
        rows: 0,
    };
    m.out.write_all(b"period,kpi,value,note\n")?;
    for &first in months {
        month_rows(&mut m, &mut rng, first)?;
        // Counted from klachten.csv (written by `write_logs` with this many per month).
        let complaints = rng.weighted(&[40, 35, 18, 7]);
        counts.complaints.push((first, complaints as u64));
    }
    for (year, q) in periods_of(months, 3) {
        quarter_rows(&mut m, &mut rng, year, q, counts)?;
    }
    for (year, h) in periods_of(months, 6) {
        let sessions = rng.range(1, 2);
        m.row(
            &format!("{year:04}-H{h}"),
            "training_sessions",
            &sessions.to_string(),
            "workshop Teams voor ICT-coördinatoren",
        )?;
    }
    m.out.flush()?;
    Ok(m.rows)
}

/// The quarters (`length` 3) or half years (6) that `months` touch, as (year, number), in order.
fn periods_of(months: &[NaiveDate], length: u32) -> Vec<(i32, u32)> {
    let mut periods: Vec<(i32, u32)> = Vec::new();
    for first in months {
        let key = (first.year(), first.month0() / length + 1);
        if periods.last() != Some(&key) {
            periods.push(key);
        }
    }
    periods
}

/// The monthly measurements: CMDB accuracy, patches, provisioning, SSO, reports on time.
fn month_rows(m: &mut Measurements, rng: &mut Rng, first: NaiveDate) -> io::Result<()> {
    let period = format!("{:04}-{:02}", first.year(), first.month());
    let month_name = MONTHS_NL[first.month0() as usize];
    let cmdb = percent(rng, 97.0, 99.5);
    let note = if cmdb < 98.0 {
        "steekproef van 200 CI's, afwijkingen in locatiegegevens na verhuizing"
    } else {
        "steekproef van 200 CI's"
    };
    m.row(&period, "cmdb_accuracy", &format!("{cmdb:.1}"), note)?;

    let patch = if rng.chance(0.3) {
        100.0
    } else {
        percent(rng, 96.0, 99.9)
    };
    let note = if patch < 100.0 {
        format!(
            "{} kritieke patches later dan 24 uur uitgerold",
            rng.range(1, 4)
        )
    } else {
        String::new()
    };
    m.row(&period, "patch_compliance", &format!("{patch:.1}"), &note)?;

    let provisioning = percent(rng, 93.0, 99.0);
    let note = match (provisioning < 95.0, first.month()) {
        (false, _) => "",
        (true, 8 | 9) => "piek in accountaanvragen bij de start van het schooljaar",
        (true, _) => "vertraging door ontbrekende gegevens uit de leerlingadministratie",
    };
    m.row(
        &period,
        "provisioning_time",
        &format!("{provisioning:.1}"),
        note,
    )?;

    let sso = ((99.70 + 0.29 * rng.unit()) * 100.0).round() / 100.0;
    let note = if sso < 99.8 {
        format!(
            "storing identity provider op {} {month_name}",
            rng.range(1, 28)
        )
    } else {
        String::new()
    };
    m.row(&period, "sso_availability", &format!("{sso:.2}"), &note)?;

    let (on_time, note) = if rng.chance(0.85) {
        ("100", String::new())
    } else {
        (
            "0",
            format!("maandrapportage {} werkdagen te laat", rng.range(1, 3)),
        )
    };
    m.row(&period, "reports_on_time", on_time, &note)?;
    Ok(())
}

/// The quarterly measurements: OS up to date, licences, least privilege, meetings held; and
/// the quarter's implemented improvement actions for the logs.
fn quarter_rows(m: &mut Measurements, rng: &mut Rng, year: i32, q: u32, counts: &mut LogCounts) -> io::Result<()> {
    let period = format!("{year:04}-Q{q}");
    let os = percent(rng, 92.0, 99.0);
    let note = if os < 95.0 {
        "oudere Chromebooks kunnen niet naar de nieuwste ChromeOS-versie"
    } else {
        ""
    };
    m.row(&period, "os_up_to_date", &format!("{os:.1}"), note)?;
    let licences = if rng.chance(0.7) {
        100.0
    } else {
        percent(rng, 97.0, 99.9)
    };
    let note = if licences < 100.0 {
        "licenties Adobe nog niet in de CMDB"
    } else {
        ""
    };
    m.row(
        &period,
        "licence_compliance",
        &format!("{licences:.1}"),
        note,
    )?;
    let privilege = if rng.chance(0.6) {
        100.0
    } else {
        percent(rng, 96.0, 99.9)
    };
    let note = if privilege < 100.0 {
        format!(
            "{} accounts met te ruime rechten gevonden bij de review",
            rng.range(2, 12)
        )
    } else {
        String::new()
    };
    m.row(
        &period,
        "least_privilege",
        &format!("{privilege:.1}"),
        &note,
    )?;
    // Counted from verbeteracties.csv (written by `write_logs`).
    let actions = rng.range(1, 3);
    counts.actions.push(((year, q), actions as u64));
    let (held, note) = if rng.chance(0.75) {
        ("100", "")
    } else {
        ("66.7", "tactisch overleg verplaatst en vervallen")
    };
    m.row(&period, "meetings_held", held, note)?;
    Ok(())
}
