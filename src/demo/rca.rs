//! The P1 incidents' stories and their RCA files `rca/<ticket id>.toml`.
//!
//! Every P1 in the demo is one of a few major outages, each with the provider's analysis
//! (cause, impact, actions, preventive measures), so that the RCA document and the monthly
//! report show what a real root-cause analysis reads like.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::clock::BusinessClock;

use super::rng::Rng;
use super::vocabulary::{MONTHS_NL, SCHOOLS, WEEKDAYS_NL};

/// The P1 incidents: a major outage each, with the provider's analysis for the RCA file.
/// `{school}`, `{datum}` and `{duur}` in `impact` are filled in per incident.
pub(super) struct P1Scenario {
    pub(super) category: &'static str,
    pub(super) subcategory: &'static str,
    pub(super) summary: &'static str,
    pub(super) onsite: bool,
    pub(super) author: &'static str,
    pub(super) cause: &'static str,
    pub(super) impact: &'static str,
    pub(super) actions: &'static [&'static str],
    pub(super) measures: &'static [(&'static str, &'static str)],
}

pub(super) const P1_SCENARIOS: &[P1Scenario] = &[
    P1Scenario {
        category: "netwerk",
        subcategory: "internet",
        summary: "Geen internet op de hele locatie",
        onsite: true,
        author: "M. El Amrani (netwerkbeheer)",
        cause: "Bij gepland onderhoud van de glasvezelleverancier in de wijk is de verbinding naar de locatie onderbroken. De 4G-back-upverbinding nam het verkeer niet over, omdat de failover-regel op de router na de firmware-update van vorige maand uitgeschakeld was. Het onderhoud was niet bij de servicedesk aangekondigd.",
        impact: "Op {school} was er op {datum} {duur} geen internet. Magister, Teams en het online lesmateriaal op de digiborden waren niet bruikbaar; docenten schakelden over op papieren lesmateriaal en de administratie kon geen absenties registreren.",
        actions: &[
            "Storing gemeld bij de glasvezelleverancier en de voortgang elk kwartier bewaakt",
            "Back-upverbinding handmatig geactiveerd door een monteur op locatie",
            "Failover-regel op de router hersteld en met een uitvaltest gecontroleerd",
        ],
        measures: &[
            (
                "Failover-configuratie van alle schoolrouters controleren na elke firmware-update",
                "Netwerkbeheer (opdrachtnemer)",
            ),
            (
                "Afspraak met de glasvezelleverancier over het vooraf melden van onderhoud",
                "Servicemanager (opdrachtnemer)",
            ),
            (
                "Ieder kwartaal een uitvaltest van de back-upverbinding uitvoeren",
                "Netwerkbeheer (opdrachtnemer)",
            ),
        ],
    },
    P1Scenario {
        category: "applicatie",
        subcategory: "Magister",
        summary: "Magister onbereikbaar voor alle docenten en leerlingen",
        onsite: false,
        author: "P. Bakker (applicatiebeheer)",
        cause: "Het certificaat waarmee Magister de aanmeldingen via single sign-on controleert, was die nacht verlopen. Daardoor weigerde Magister elke aanmelding. De verloopdatum stond niet in de certificatenkalender, omdat de leverancier het certificaat bij de laatste vernieuwing had vervangen zonder dat te melden.",
        impact: "Op {school} konden docenten, leerlingen en ouders op {datum} {duur} niet inloggen in Magister. Roosterwijzigingen en huiswerk waren niet zichtbaar en een cijferdeadline is een dag verschoven.",
        actions: &[
            "Nieuw certificaat aangevraagd en in de SSO-koppeling geplaatst",
            "Aanmelden getest met accounts van een docent, een leerling en een ouder",
            "ICT-coördinatoren van de scholen via de statuspagina geïnformeerd",
        ],
        measures: &[
            (
                "Alle certificaten van SSO-koppelingen in de certificatenkalender opnemen, met een waarschuwing 30 dagen vooraf",
                "Applicatiebeheer (opdrachtnemer)",
            ),
            (
                "Leverancier contractueel laten melden wanneer een certificaat wordt vervangen",
                "Contractmanager DHS",
            ),
        ],
    },
    P1Scenario {
        category: "account",
        subcategory: "wachtwoord",
        summary: "Inloggen via SSO mislukt voor alle medewerkers",
        onsite: false,
        author: "S. Jansen (servicemanager)",
        cause: "Een wijziging in het beleid voor voorwaardelijke toegang, bedoeld om aanmelden vanaf onbeheerde apparaten te beperken, is zonder test in productie gezet. Het beleid blokkeerde ook de beheerde laptops, omdat die na een eerdere herinrichting niet als compliant stonden geregistreerd.",
        impact: "Medewerkers van {school} konden op {datum} {duur} niet inloggen in Office 365, Teams en Magister. Lessen gingen door zonder digitale middelen; de leerlingenadministratie lag stil.",
        actions: &[
            "Beleidswijziging teruggedraaid via het nood-beheeraccount",
            "Aanmeldlogboeken gecontroleerd op andere getroffen accounts",
            "Wijziging opnieuw ingediend als niet-standaard change, met test in de acceptatieomgeving",
        ],
        measures: &[
            (
                "Wijzigingen in het toegangsbeleid alleen via de CAB en na een test met een proefgroep",
                "Change manager (opdrachtnemer)",
            ),
            (
                "Nood-beheeraccount buiten het toegangsbeleid vastleggen en jaarlijks testen",
                "Security officer (opdrachtnemer)",
            ),
        ],
    },
    P1Scenario {
        category: "e-mail",
        subcategory: "mailbox",
        summary: "E-mail van buiten komt niet binnen",
        onsite: false,
        author: "J. de Vries (servicedesk)",
        cause: "Bij het aanpassen van de DNS-records voor een nieuwe nieuwsbriefdienst is het MX-record van het schooldomein per ongeluk overschreven. Verzendende mailservers konden de school daardoor niet meer vinden en zetten de berichten in de wachtrij.",
        impact: "{school} ontving op {datum} {duur} geen e-mail van ouders, leveranciers en andere scholen. Ziekmeldingen per e-mail kwamen pas na het herstel binnen; er is geen e-mail verloren gegaan.",
        actions: &[
            "MX-record hersteld en de wijziging bij de DNS-provider versneld doorgevoerd",
            "Wachtrijen gecontroleerd tot alle uitgestelde mail was afgeleverd",
            "Ouders via de schoolapp geïnformeerd over de vertraging",
        ],
        measures: &[
            (
                "DNS-wijzigingen alleen na een vier-ogencontrole uitvoeren",
                "Netwerkbeheer (opdrachtnemer)",
            ),
            (
                "Bewaking van de bereikbaarheid van de mailserver van buitenaf inrichten",
                "Servicedesk (opdrachtnemer)",
            ),
        ],
    },
    P1Scenario {
        category: "telefonie",
        subcategory: "centrale",
        summary: "School telefonisch onbereikbaar",
        onsite: false,
        author: "J. de Vries (servicedesk)",
        cause: "De verbinding tussen de telefooncentrale en de telefonieleverancier viel weg door een storing in het datacenter van de leverancier. Na het herstel registreerde de centrale zich niet opnieuw, omdat de herhaalinstelling bij de migratie van vorig jaar op 'uit' was blijven staan.",
        impact: "{school} was op {datum} {duur} telefonisch onbereikbaar voor ouders en externe partijen. Ziekmeldingen liepen via e-mail en de schoolapp; intern bellen werkte wel.",
        actions: &[
            "Storing gemeld bij de telefonieleverancier",
            "Inkomende nummers tijdelijk doorgeschakeld naar de mobiele telefoon van de conciërge",
            "Centrale opnieuw geregistreerd en de herhaalinstelling aangezet",
        ],
        measures: &[
            (
                "Instellingen van alle telefooncentrales vergelijken met de standaardconfiguratie",
                "Werkplekbeheer (opdrachtnemer)",
            ),
            (
                "Noodnummer per school vastleggen dat bij uitval automatisch wordt ingeschakeld",
                "ICT-coördinator school",
            ),
        ],
    },
    P1Scenario {
        category: "beveiliging",
        subcategory: "malware",
        summary: "Ransomwaremelding op meerdere pc's van de administratie",
        onsite: true,
        author: "R. Kaya (security officer)",
        cause: "Een medewerker opende een bijlage uit een phishingmail die zich voordeed als factuur van een leverancier. De endpointbeveiliging herkende de versleutelpoging op twee pc's en blokkeerde die; de pc's zijn uit voorzorg van het netwerk gehaald. Er zijn geen bestanden op de netwerkschijven versleuteld.",
        impact: "De administratie van {school} kon op {datum} {duur} niet werken; twee pc's zijn opnieuw geïnstalleerd. Er is geen aanwijzing dat persoonsgegevens zijn ingezien of weggenomen; de functionaris gegevensbescherming is geïnformeerd.",
        actions: &[
            "Getroffen pc's geïsoleerd en met een schone installatie hersteld",
            "Wachtwoorden van de betrokken accounts gereset en sessies ingetrokken",
            "Alle mailboxen doorzocht op dezelfde phishingmail en die verwijderd",
            "Melding gedaan bij de functionaris gegevensbescherming",
        ],
        measures: &[
            (
                "Bijlagen met macro's van externe afzenders standaard blokkeren",
                "Security officer (opdrachtnemer)",
            ),
            (
                "Phishingsimulatie en korte training voor administratieve medewerkers",
                "ICT-coördinator school",
            ),
            (
                "Back-ups van de administratie maandelijks op terugzetbaarheid testen",
                "Werkplekbeheer (opdrachtnemer)",
            ),
        ],
    },
    P1Scenario {
        category: "netwerk",
        subcategory: "wifi",
        summary: "Wifi in het hele gebouw uitgevallen tijdens toetsweek",
        onsite: true,
        author: "M. El Amrani (netwerkbeheer)",
        cause: "De cloudcontroller van de access points kreeg 's nachts een automatische update. Daarna werden de licenties van de access points op deze locatie niet meer herkend, waardoor ze geen wifi-netwerken meer uitzonden.",
        impact: "Op {school} was er op {datum} {duur} geen wifi. Digitale toetsen zijn uitgesteld en door ongeveer driehonderd leerlingen later ingehaald.",
        actions: &[
            "Licenties opnieuw aan de access points gekoppeld",
            "Leverancier van de controller ingeschakeld voor een structurele oplossing",
            "Per lokaal gecontroleerd dat de access points weer uitzenden",
        ],
        measures: &[
            (
                "Automatische updates van de controller alleen buiten toetsweken toestaan",
                "Netwerkbeheer (opdrachtnemer)",
            ),
            (
                "Toetsweken van de scholen opnemen in de wijzigingskalender",
                "Servicemanager (opdrachtnemer)",
            ),
        ],
    },
    P1Scenario {
        category: "applicatie",
        subcategory: "Office 365",
        summary: "Teams en OneDrive onbereikbaar voor de hele school",
        onsite: false,
        author: "P. Bakker (applicatiebeheer)",
        cause: "Microsoft had een storing in de regio West-Europa waardoor aanmelden bij Teams en OneDrive mislukte. De servicedesk herkende de storing pas na twintig minuten, omdat het statusbericht van Microsoft niet in de monitoring binnenkwam.",
        impact: "Op {school} waren Teams en OneDrive op {datum} {duur} niet bruikbaar. Opdrachten en gedeelde lesmaterialen waren niet bereikbaar; lessen zijn met lokaal opgeslagen materiaal gegeven.",
        actions: &[
            "Storing bevestigd bij Microsoft en de scholen via de statuspagina geïnformeerd",
            "Docenten gewezen op lokaal gesynchroniseerde bestanden als tijdelijke oplossing",
            "Herstel per school gecontroleerd",
        ],
        measures: &[(
            "Statusmeldingen van Microsoft 365 automatisch in de monitoring opnemen",
            "Applicatiebeheer (opdrachtnemer)",
        )],
    },
];

/// A resolved P1 with its RCA delivered, for `rca/<id>.toml`.
pub(super) struct P1Record {
    pub(super) id: String,
    pub(super) school: usize,
    pub(super) scenario: usize,
    pub(super) opened: NaiveDateTime,
    pub(super) resolved: NaiveDateTime,
    pub(super) rca: NaiveDateTime,
}

/// Appends `s` as a TOML basic string.
fn push_toml_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// "2 uur en 15 minuten".
fn duration_nl(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} minuten"),
        (1, 0) => "1 uur".into(),
        (h, 0) => format!("{h} uur"),
        (h, m) => format!("{h} uur en {m} minuten"),
    }
}

fn date_nl(d: NaiveDate) -> String {
    let weekday = WEEKDAYS_NL[d.weekday().num_days_from_monday() as usize];
    format!("{weekday} {} {}", d.day(), MONTHS_NL[d.month0() as usize])
}

/// Writes `rca/<id>.toml` for every P1 whose RCA was delivered: the scenario's analysis with
/// the school, date and outage filled in, and the first one or more of its (up to three)
/// preventive measures, each due some workdays later.
pub(super) fn write_rca_files(
    dir: &Path,
    seed: u64,
    p1s: &[P1Record],
    clock: &BusinessClock,
) -> io::Result<()> {
    let mut rng = Rng::new(seed, 4);
    let mut text = String::new();
    for p in p1s {
        let s = &P1_SCENARIOS[p.scenario];
        let delivered = p.rca.date();
        // Rounded to a quarter of an hour, as a person would write it.
        let outage = ((p.resolved - p.opened).num_minutes() + 7) / 15 * 15;
        let impact = s
            .impact
            .replace("{school}", SCHOOLS[p.school].name)
            .replace("{datum}", &date_nl(p.opened.date()))
            .replace("{duur}", &format!("ongeveer {}", duration_nl(outage)));
        text.clear();
        let mut field = |key: &str, value: &str| {
            text.push_str(key);
            text.push_str(" = ");
            push_toml_str(&mut text, value);
            text.push('\n');
        };
        field("ticket", &p.id);
        field("author", s.author);
        field("delivered_on", &delivered.to_string());
        field("cause", s.cause);
        field("impact", &impact);
        text.push_str("actions = [\n");
        for a in s.actions {
            text.push_str("  ");
            push_toml_str(&mut text, a);
            text.push_str(",\n");
        }
        text.push_str("]\n");
        let count = 1 + rng.below(s.measures.len() as u64) as usize;
        for (i, (measure, owner)) in s.measures[..count].iter().enumerate() {
            let workdays = 10 * (i as i64 + 1) + rng.range(0, 9);
            let due = clock.add_workdays(delivered, workdays as u32);
            text.push_str("\n[[preventive_measures]]\nmeasure = ");
            push_toml_str(&mut text, measure);
            text.push_str("\nowner = ");
            push_toml_str(&mut text, owner);
            let _ = writeln!(text, "\ndue_on = \"{due}\"");
        }
        fs::write(dir.join("rca").join(format!("{}.toml", p.id)), &text)?;
    }
    Ok(())
}
