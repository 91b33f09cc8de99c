//! The provider's voice in a report: the improvement actions of the period (implemented,
//! open, overdue, due before the next report) and the complaints and escalations, from the
//! logs of `src/voice/`. Kept apart from the ticket aggregation: the monthly and quarterly
//! reports each carry one [`Voice`] for their period.

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::LoadedContract;
use crate::i18n::Lang;
use crate::load::DataSet;
use crate::period::Period;
use crate::voice::{ActionStatus, Complaint, Escalation, ImprovementAction};

/// What the provider's logs say about the period; a part is `None` when its log is absent.
#[derive(Debug, Clone, Serialize)]
pub struct Voice {
    pub improvement: Option<ImprovementSection>,
    /// `None` when the folder has neither `klachten.csv` nor `escalaties.csv`.
    pub complaints: Option<ComplaintSection>,
}

/// Complaints and escalations of the period: received (raised) in it, or earlier and still
/// open at its start.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintSection {
    /// Whether the folder has `klachten.csv` (else only escalations are known).
    pub has_complaints: bool,
    pub has_escalations: bool,
    /// Received in the period (domain 7's count).
    pub received: u64,
    /// Of those listed, handled by the end of the period.
    pub handled: u64,
    /// Listed and not handled by the end of the period.
    pub open: u64,
    /// Mean handling time in workdays of the complaints handled in the period; `None`
    /// without one.
    pub mean_handling_workdays: Option<f64>,
    pub longest_handling_workdays: Option<i64>,
    pub complaints: Vec<ComplaintItem>,
    pub escalations: Vec<EscalationItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComplaintItem {
    pub id: String,
    pub received_on: NaiveDate,
    pub school: String,
    /// `phone`, `email`, `portal`, `meeting`, `letter` or empty.
    pub channel: String,
    pub subject: String,
    pub ticket: String,
    pub handled_on: Option<NaiveDate>,
    /// Workdays from receipt to handling: those in [received, handled) (Friday to Tuesday is
    /// 2); `None` while open at the end of the period.
    pub handling_workdays: Option<i64>,
    pub outcome: String,
    /// Received before the period and still open at its start.
    pub carried_over: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EscalationItem {
    pub id: String,
    pub raised_on: NaiveDate,
    /// `tactical` or `strategic`.
    pub level: String,
    pub subject: String,
    pub ticket: String,
    pub resolved_on: Option<NaiveDate>,
    pub note: String,
    pub carried_over: bool,
}

/// The improvement actions as they stood at the end of the period.
#[derive(Debug, Clone, Serialize)]
pub struct ImprovementSection {
    /// Implemented on a day of the period (and by the report's date).
    pub implemented: Vec<ActionItem>,
    /// Open at the end of the period with a due date in it or before it.
    pub overdue: Vec<ActionItem>,
    /// Open, due in the month after the period: before the next monthly report.
    pub due: Vec<ActionItem>,
    /// Open, due later or without a due date.
    pub open: Vec<ActionItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionItem {
    pub id: String,
    pub title: String,
    /// `kpi`, `issue`, `rca`, `complaint`; `None` without a source.
    pub source_kind: Option<String>,
    /// The KPI id, issue, ticket or complaint id as written.
    pub source_ref: Option<String>,
    /// What the reader sees: the KPI's name in the report's language, else the reference.
    pub source_name: Option<String>,
    pub owner: String,
    pub opened_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub implemented_on: Option<NaiveDate>,
    /// The status as recorded (`open`, `in_progress`, `implemented`, `cancelled`).
    pub status: String,
    pub note: String,
}

pub fn voice(data: &DataSet, contract: &LoadedContract, period: Period, today: NaiveDate, lang: Lang) -> Voice {
    Voice {
        improvement: data.improvement_actions.as_deref().map(|a| improvement_section(a, contract, period, today, lang)),
        complaints: (data.complaints.is_some() || data.escalations.is_some())
            .then(|| complaint_section(data.complaints.as_deref(), data.escalations.as_deref(), contract, period)),
    }
}

/// The complaints and escalations of `period`, oldest first.
fn complaint_section(complaints: Option<&[Complaint]>, escalations: Option<&[Escalation]>, contract: &LoadedContract, period: Period) -> ComplaintSection {
    let (start, last) = (period.start, period.last_day());
    let mut listed: Vec<&Complaint> = complaints
        .unwrap_or_default()
        .iter()
        .filter(|c| c.received_on <= last && (c.received_on >= start || c.handled_on.is_none_or(|h| h >= start)))
        .collect();
    listed.sort_by(|a, b| (a.received_on, &a.id).cmp(&(b.received_on, &b.id)));
    let handled_by_end = |c: &Complaint| c.handled_on.filter(|h| *h <= last);
    let handling = |c: &Complaint| handled_by_end(c).map(|h| contract.clock.workdays_between(c.received_on, h));
    let handled_in_period: Vec<i64> =
        listed.iter().filter(|c| c.handled_on.is_some_and(|h| start <= h && h <= last)).filter_map(|c| handling(c)).collect();
    let items: Vec<ComplaintItem> = listed
        .iter()
        .map(|c| ComplaintItem {
            id: c.id.clone(),
            received_on: c.received_on,
            school: c.school.clone(),
            channel: c.channel.clone(),
            subject: c.subject.clone(),
            ticket: c.ticket.clone(),
            handled_on: handled_by_end(c),
            handling_workdays: handling(c),
            outcome: if handled_by_end(c).is_some() { c.outcome.clone() } else { String::new() },
            carried_over: c.received_on < start,
        })
        .collect();
    let mut escalated: Vec<&Escalation> = escalations
        .unwrap_or_default()
        .iter()
        .filter(|e| e.raised_on <= last && (e.raised_on >= start || e.resolved_on.is_none_or(|r| r >= start)))
        .collect();
    escalated.sort_by(|a, b| (a.raised_on, &a.id).cmp(&(b.raised_on, &b.id)));
    ComplaintSection {
        has_complaints: complaints.is_some(),
        has_escalations: escalations.is_some(),
        received: listed.iter().filter(|c| c.received_on >= start).count() as u64,
        handled: items.iter().filter(|c| c.handled_on.is_some()).count() as u64,
        open: items.iter().filter(|c| c.handled_on.is_none()).count() as u64,
        mean_handling_workdays: (!handled_in_period.is_empty())
            .then(|| handled_in_period.iter().sum::<i64>() as f64 / handled_in_period.len() as f64),
        longest_handling_workdays: handled_in_period.iter().max().copied(),
        complaints: items,
        escalations: escalated
            .iter()
            .map(|e| EscalationItem {
                id: e.id.clone(),
                raised_on: e.raised_on,
                level: e.level.key().into(),
                subject: e.subject.clone(),
                ticket: e.ticket.clone(),
                resolved_on: e.resolved_on.filter(|r| *r <= last),
                note: e.note.clone(),
                carried_over: e.raised_on < start,
            })
            .collect(),
    }
}

fn item(a: &ImprovementAction, contract: &LoadedContract, lang: Lang) -> ActionItem {
    let source_name = a.source.as_ref().map(|s| match s.kind {
        crate::voice::SourceKind::Kpi => contract
            .contract
            .domains
            .iter()
            .flat_map(|d| &d.kpis)
            .find(|k| k.id == s.reference)
            .map(|k| match lang {
                Lang::Nl => k.name_nl.clone(),
                Lang::En => k.name_en.clone(),
            })
            .unwrap_or_else(|| s.reference.clone()),
        _ => s.reference.clone(),
    });
    ActionItem {
        id: a.id.clone(),
        title: a.title.clone(),
        source_kind: a.source.as_ref().map(|s| s.kind.key().into()),
        source_ref: a.source.as_ref().map(|s| s.reference.clone()),
        source_name,
        owner: a.owner.clone(),
        opened_on: a.opened_on,
        due_on: a.due_on,
        implemented_on: a.implemented_on,
        status: a.status.key().into(),
        note: a.note.clone(),
    }
}

/// Sorts the lists by due date (none last), then id: the most pressing first.
fn improvement_section(actions: &[ImprovementAction], contract: &LoadedContract, period: Period, today: NaiveDate, lang: Lang) -> ImprovementSection {
    let last = period.last_day();
    let next_month_end = (period.end + chrono::Months::new(1)).pred_opt().unwrap_or(last);
    let mut sorted: Vec<&ImprovementAction> = actions.iter().collect();
    sorted.sort_by(|a, b| {
        (a.due_on.is_none(), a.due_on, a.implemented_on, &a.id).cmp(&(b.due_on.is_none(), b.due_on, b.implemented_on, &b.id))
    });
    let mut s = ImprovementSection { implemented: vec![], overdue: vec![], due: vec![], open: vec![] };
    for a in sorted {
        if a.implemented_within(period.start, last, today) && a.status == ActionStatus::Implemented {
            s.implemented.push(item(a, contract, lang));
        } else if a.open_on(last) {
            let list = match a.due_on {
                Some(d) if d <= last => &mut s.overdue,
                Some(d) if d <= next_month_end => &mut s.due,
                _ => &mut s.open,
            };
            list.push(item(a, contract, lang));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log KPI `id`'s figure for `period` from the given logs.
    fn log_figure(
        c: &LoadedContract,
        id: &str,
        period: Period,
        today: NaiveDate,
        improvement_actions: Option<&[ImprovementAction]>,
        complaints: Option<&[Complaint]>,
    ) -> Option<crate::kpi::KpiFigure> {
        let inp = crate::kpi::compute::KpiInputs {
            contract: c,
            tickets: &[],
            p1_incidents: &[],
            tickets_file: "tickets.csv",
            calls: None,
            measurements: &[],
            period,
            today,
            recurring_reported: false,
            lang: Lang::Nl,
            improvement_actions,
            complaints,
        };
        let k = c.contract.domains.iter().flat_map(|d| &d.kpis).find(|k| k.id == id).unwrap();
        crate::kpi::logs::from_log(k, &inp)
    }

    /// Hand-made log against July–September 2026: which action lands in which list, and
    /// domain 6's KPI counted from it.
    #[test]
    fn actions_per_list_and_the_improvement_kpi() {
        let c = LoadedContract::embedded();
        let csv = "id,title,source,owner,opened,due,implemented,status\n\
            V1,Kennisbank,kpi:first_contact_resolution,SD,2026-06-01,2026-07-15,2026-07-10,\n\
            V2,Wifi,issue:Netwerk / Wifi,NW,2026-06-01,2026-09-30,2026-09-30,\n\
            V3,Laat,,NW,2026-07-01,2026-09-01,,open\n\
            V4,Volgende maand,,NW,2026-07-01,2026-10-31,,in uitvoering\n\
            V5,Later,,NW,2026-07-01,,,open\n\
            V6,Vervallen,,NW,2026-07-01,2026-08-01,,vervallen\n\
            V7,Na het kwartaal,,NW,2026-07-01,2026-09-15,2026-10-02,\n\
            V8,Vorig kwartaal,,NW,2026-04-01,2026-06-15,2026-06-20,\n";
        let data = DataSet::default();
        let (actions, rejected, _) = crate::voice::improvement::load_actions(csv.as_bytes(), "verbeteracties.csv", &c, &data).unwrap();
        assert!(rejected.is_empty(), "{rejected:?}");
        let q3 = Period::quarter(2026, 3).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let s = improvement_section(&actions, &c, q3, today, Lang::Nl);
        let ids = |l: &[ActionItem]| l.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&s.implemented), ["V1", "V2"]);
        // V7 was implemented after the quarter: overdue at its end, as V3.
        assert_eq!(ids(&s.overdue), ["V3", "V7"]);
        assert_eq!(ids(&s.due), ["V4"]);
        assert_eq!(ids(&s.open), ["V5"]);
        assert_eq!(s.implemented[0].source_name.as_deref(), Some("Eerste-contact-oplossingspercentage (FCR)"));

        // Domain 6: two implemented in Q3 (V1, V2), one in Q2 (V8), one in Q4 (V7).
        let figure = |period: Period, today: NaiveDate| log_figure(&c, "improvement_actions", period, today, Some(&actions), None);
        let value = |f: Option<crate::kpi::KpiFigure>| match f {
            Some(crate::kpi::KpiFigure::Figure(f)) => Some(f.measured),
            _ => None,
        };
        assert_eq!(value(figure(q3, today)), Some(2.0));
        assert_eq!(value(figure(Period::quarter(2026, 2).unwrap(), today)), Some(1.0));
        // Q4's V7 (2 October) counts once it has happened.
        assert_eq!(value(figure(Period::quarter(2026, 4).unwrap(), today)), Some(1.0));
        assert_eq!(value(figure(Period::quarter(2026, 4).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())), Some(0.0));
        // A month: its quarter's count once the quarter has ended on the report's date (as a
        // quarter's measurement), "not yet measured" before.
        assert_eq!(value(figure(Period::month(2026, 8).unwrap(), today)), Some(2.0));
        let on_the_last_day = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        assert!(matches!(figure(Period::month(2026, 9).unwrap(), on_the_last_day), Some(crate::kpi::KpiFigure::NotYetMeasured)));
    }

    /// Hand-made complaints against October 2026 (workdays: 1–2, 5–9, 12–16 … October;
    /// no holidays in October in the guideline's calendar).
    #[test]
    fn complaints_of_a_month_with_handling_time() {
        let c = LoadedContract::embedded();
        let data = DataSet::default();
        let csv = "id,received,subject,handled\n\
            K1,2026-09-28,Oud en open,\n\
            K2,2026-09-20,Oud en afgehandeld,2026-09-25\n\
            K3,2026-10-02,Vrijdag,2026-10-06\n\
            K4,2026-10-12,Maandag,2026-10-19\n\
            K5,2026-10-29,Nog open aan het eind,2026-11-03\n\
            K6,2026-11-01,Volgende maand,\n";
        let (complaints, rejected, _) = crate::voice::complaints::load_complaints(csv.as_bytes(), "klachten.csv", &data).unwrap();
        assert!(rejected.is_empty(), "{rejected:?}");
        let oct = Period::month(2026, 10).unwrap();
        let s = complaint_section(Some(&complaints), None, &c, oct);
        let ids: Vec<&str> = s.complaints.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["K1", "K3", "K4", "K5"]);
        // Domain 7 counts those received in October: K3, K4, K5.
        assert_eq!(s.received, 3);
        assert!(s.complaints[0].carried_over);
        // K3: Friday 2 → Tuesday 6 October = 2 workdays (5, 6); K4: 12 → 19 October = 5.
        assert_eq!(s.complaints[1].handling_workdays, Some(2));
        assert_eq!(s.complaints[2].handling_workdays, Some(5));
        // K5 is handled after the month: open at its end.
        assert_eq!((s.complaints[3].handled_on, s.handled, s.open), (None, 2, 2));
        assert_eq!(s.mean_handling_workdays, Some(3.5));
        assert_eq!(s.longest_handling_workdays, Some(5));
        // The KPI, summed over the quarter: September's K1 and K2 and October's three do not
        // mix — Q4 has K3, K4, K5 and K6 (1 November).
        let count = |period: Period| {
            match log_figure(&c, "complaints", period, NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(), None, Some(&complaints)) {
                Some(crate::kpi::KpiFigure::Figure(f)) => f.measured,
                _ => -1.0,
            }
        };
        assert_eq!(count(oct), 3.0);
        assert_eq!(count(Period::quarter(2026, 4).unwrap()), 4.0);
        assert_eq!(count(Period::quarter(2026, 3).unwrap()), 2.0);
    }
}
