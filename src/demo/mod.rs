//! Deterministic demo data: a complete, realistic data folder for De Haagse Scholen.
//!
//! The reports have to be shown, tested and benchmarked long before a school board hands over
//! a real export, and a contract manager judges a demo by whether it looks like their own
//! service desk. [`write_demo`] therefore writes what a provider would deliver — `tickets.csv`,
//! the phone log `calls.csv`, `measurements.csv` and one RCA file per P1 incident in `rca/` —
//! with Dutch schools, categories and summaries, times placed on the contract's business clock
//! (most tickets well within their targets, a plausible few far over), and a handful of
//! deliberately broken rows that the loader must reject.
//!
//! Everything follows from [`DemoOptions`]: one seeded SplitMix64 stream per file and no wall
//! clock, so the same options give byte-identical files on every run.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Weekday};

use crate::clock::BusinessClock;
use crate::contract::LoadedContract;
use crate::ticket::{ChangeClass, Channel, Level, Priority, TicketType};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of the pseudo-random generator: the same options give the same bytes.
    pub seed: u64,
    /// First month, `(year, month)`.
    pub from: (i32, u32),
    /// Last month, `(year, month)`, inclusive.
    pub to: (i32, u32),
    /// Valid tickets in total, spread evenly over the months; `None` gives about 2,500 a month.
    pub tickets: Option<u64>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 20261101,
            from: (2026, 7),
            to: (2026, 10),
            tickets: None,
        }
    }
}

/// What [`write_demo`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoSummary {
    /// Valid ticket rows in `tickets.csv`: every one of them loads. With
    /// `tickets: Some(n)` this is exactly `n`.
    pub tickets: u64,
    /// Rows of `calls.csv`.
    pub calls: u64,
    /// Rows of `measurements.csv`.
    pub measurements: u64,
    /// Deliberately broken rows in `tickets.csv`, on top of [`DemoSummary::tickets`]: the file
    /// has `tickets + error_rows` data rows and the loader rejects exactly `error_rows` of them.
    /// One of them repeats an earlier valid row (a duplicate id); the others have ids of their
    /// own. Data sets under 100 tickets get none.
    pub error_rows: u64,
}

/// Writes the demo data folder `dir` (created if needed): `tickets.csv`, `calls.csv`,
/// `measurements.csv`, `rca/<ticket id>.toml` and the provider's logs `klachten.csv`,
/// `escalaties.csv` and `verbeteracties.csv`. Existing files of those names are replaced;
/// other files in `dir` are left alone.
pub fn write_demo(dir: &Path, opts: &DemoOptions) -> io::Result<DemoSummary> {
    let months = months_of(opts)?;
    let contract = LoadedContract::embedded();
    fs::create_dir_all(dir.join("rca"))?;
    let tickets = write_tickets(dir, opts, &months, &contract)?;
    write_rca_files(dir, opts.seed, &tickets.p1s, &contract.clock)?;
    let calls = write_calls(dir, opts.seed, &months, &contract.clock)?;
    let mut counts = LogCounts::default();
    let measurements = write_measurements(dir, opts.seed, &months, &mut counts)?;
    write_logs(dir, opts.seed, &tickets.p1s, &counts)?;
    Ok(DemoSummary {
        tickets: tickets.valid,
        calls,
        measurements,
        error_rows: tickets.errors,
    })
}

/// First days of the months from `opts.from` to `opts.to`, inclusive.
fn months_of(opts: &DemoOptions) -> io::Result<Vec<NaiveDate>> {
    let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
    let first = |(y, m): (i32, u32)| {
        NaiveDate::from_ymd_opt(y, m, 1)
            .filter(|_| (2000..=2099).contains(&y))
            .ok_or_else(|| invalid(format!("{y}-{m:02} is not a month between 2000 and 2099")))
    };
    let (from, to) = (first(opts.from)?, first(opts.to)?);
    if to < from {
        return Err(invalid(format!(
            "the last month {to} lies before the first month {from}"
        )));
    }
    let mut months = vec![from];
    while let Some(&last) = months.last().filter(|m| **m < to) {
        months.push(last + chrono::Months::new(1));
    }
    Ok(months)
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast and plenty for demo data.
struct Rng(u64);

impl Rng {
    /// An independent stream per file, so changing one generator leaves the others' bytes.
    fn new(seed: u64, stream: u64) -> Self {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next_u64();
        rng
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`; `n` must be positive.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights (small tables; see [`Table`] for hot loops).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let mut x = self.below(u64::from(weights.iter().sum::<u32>())) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// Cumulative weights, for weighted picks in O(log n). Entries of weight 0 are never picked.
struct Table(Vec<u64>);

impl Table {
    fn new(weights: impl IntoIterator<Item = u64>) -> Self {
        let mut sum = 0;
        Table(
            weights
                .into_iter()
                .map(|w| {
                    sum += w;
                    sum
                })
                .collect(),
        )
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let x = rng.below(*self.0.last().expect("a non-empty table"));
        self.0.partition_point(|c| *c <= x)
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: schools, categories, summaries

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SchoolKind {
    Primary,
    Secondary,
    Special,
    Office,
}

struct School {
    name: &'static str,
    kind: SchoolKind,
    /// Relative ticket volume (roughly the number of pupils and devices).
    weight: u64,
}

const fn school(name: &'static str, kind: SchoolKind, weight: u64) -> School {
    School { name, kind, weight }
}

/// Invented schools; any likeness to a real school is a coincidence of Dutch naming habits.
const SCHOOLS: &[School] = {
    use SchoolKind::*;
    &[
        school("OBS De Regenboog", Primary, 18),
        school("Haagse Montessorischool", Primary, 22),
        school("SBO De Piramide", Primary, 10),
        school(
            "Openbare Basisschool Prinses Máximaschool Escamp",
            Primary,
            20,
        ),
        school("OBS Het Klokhuis", Primary, 14),
        school("OBS De Vlinderboom", Primary, 12),
        school("Daltonschool Loosduinen", Primary, 24),
        school("OBS De Zeester Scheveningen", Primary, 16),
        school("Jenaplanschool De Wereldboom", Primary, 13),
        school("OBS Duinoord", Primary, 11),
        school("OBS De Springplank", Primary, 15),
        school("OBS Bomenbuurt", Primary, 19),
        school("OBS Het Zeepaardje", Primary, 9),
        school("OBS De Wilgenhof", Primary, 12),
        school("OBS Laakkwartier", Primary, 17),
        school("OBS De Kleine Prins", Primary, 10),
        school("OBS Transvaal", Primary, 21),
        school("Daltonschool Mariahoeve", Primary, 18),
        school("OBS De Poolster", Primary, 13),
        school("OBS Het Palet Moerwijk", Primary, 16),
        school("OBS Bouwlust", Primary, 14),
        school("OBS De Duinroos Kijkduin", Primary, 8),
        school("Montessorischool Bezuidenhout", Primary, 20),
        school("OBS Houtwijk", Primary, 15),
        school("OBS De Vuurtoren", Primary, 11),
        school("OBS Rivierenbuurt", Primary, 12),
        school(
            "Openbare Daltonbasisschool Leidschenveen-Ypenburg, locatie Singels",
            Primary,
            26,
        ),
        school("SBO Het Kompas", Primary, 9),
        school("OBS Wateringse Veld", Primary, 25),
        school("Internationale Openbare Basisschool Den Haag", Primary, 17),
        school("Zuid-West College", Secondary, 95),
        school("Lyceum Ypenburg", Secondary, 110),
        school("Haags Montessori Lyceum", Secondary, 85),
        school("Scheveningen College", Secondary, 70),
        school("Zuiderpark Lyceum", Secondary, 80),
        school("Duinrand Gymnasium", Secondary, 60),
        school("Laakhaven Mavo", Secondary, 45),
        school("Technisch College Den Haag Zuidwest", Secondary, 75),
        school("Hofstad Lyceum Haagse Hout", Secondary, 100),
        school("Vakcollege Escamp", Secondary, 55),
        school("VSO De Spinnaker", Special, 20),
        school("SO De Witte Vogel", Special, 12),
        school("SO/VSO De Kaap", Special, 18),
        school("VSO Het Baken", Special, 15),
        school("SO De Duinen", Special, 10),
        school("Bestuursbureau De Haagse Scholen", Office, 22),
    ]
};

/// Template tags: which ticket types a summary fits.
const I: u8 = 1;
const R: u8 = 2;
const C: u8 = 4;

/// A subcategory with its volume per ticket type and its summary templates. Placeholders:
/// `{lokaal}` room, `{wie}` staff role, `{lln}` pupil, `{groep}` class, `{n}` number, `{app}`.
struct Sub {
    category: &'static str,
    name: &'static str,
    /// Relative volume for incident, service request, change.
    weight: [u64; 3],
    templates: &'static [(u8, &'static str)],
}

const fn sub(
    category: &'static str,
    name: &'static str,
    weight: [u64; 3],
    templates: &'static [(u8, &'static str)],
) -> Sub {
    Sub {
        category,
        name,
        weight,
        templates,
    }
}

/// Categories whose tickets may need a visit (the `onsite` column applies to them).
const ONSITE_CATEGORIES: [&str; 4] = ["werkplek", "netwerk", "printer", "av-middelen"];

const SUBS: &[Sub] = &[
    sub(
        "werkplek",
        "laptop",
        [90, 40, 6],
        &[
            (I, "Laptop {wie} start niet op"),
            (I, "Laptop lokaal {lokaal} blijft hangen op blauw scherm"),
            (I, "Accu laptop {wie} laadt niet meer op"),
            (I, "Toetsenbord laptop {wie} werkt niet"),
            (I, "Scherm laptop {wie} gebarsten na val"),
            (R, "Nieuwe laptop aanvragen voor {wie}"),
            (R, "Laptop {wie} opnieuw inrichten"),
            (R, "Leenlaptop voor invalkracht"),
            (C, "Uitrol BIOS-update laptops"),
            (C, "Vervanging {n} afgeschreven laptops"),
        ],
    ),
    sub(
        "werkplek",
        "desktop",
        [40, 15, 4],
        &[
            (I, "Pc lokaal {lokaal} start niet op"),
            (I, "Pc administratie erg traag"),
            (I, "Tweede scherm wordt niet herkend op werkplek {wie}"),
            (R, "Extra beeldscherm aanvragen voor {wie}"),
            (R, "Werkplek verhuizen naar lokaal {lokaal}"),
            (C, "Vervanging {n} pc's computerlokaal"),
        ],
    ),
    sub(
        "werkplek",
        "chromebook",
        [70, 25, 3],
        &[
            (I, "Chromebook {lln} laadt niet op"),
            (
                I,
                "{n} Chromebooks uit de kar van lokaal {lokaal} kunnen niet inloggen",
            ),
            (I, "Scherm Chromebook {lln} blijft zwart"),
            (R, "Chromebook {lln} opnieuw registreren"),
            (R, "Extra Chromebookkar aanvragen voor {groep}"),
            (C, "ChromeOS-beleid aanpassen voor de toetsweek"),
        ],
    ),
    sub(
        "werkplek",
        "software",
        [40, 60, 14],
        &[
            (I, "{app} start niet op bij {wie}"),
            (I, "Software-update blijft mislukken op pc lokaal {lokaal}"),
            (R, "Installatie GeoGebra op laptops lokaal {lokaal}"),
            (R, "Licentie Adobe Acrobat aanvragen voor {wie}"),
            (R, "{app} installeren voor {groep}"),
            (C, "Uitrol nieuwe versie Office-apps"),
            (C, "{app} toevoegen aan het standaardimage"),
        ],
    ),
    sub(
        "netwerk",
        "wifi",
        [60, 8, 6],
        &[
            (I, "Wifi valt steeds weg in lokaal {lokaal}"),
            (I, "Geen wifi in de gymzaal"),
            (I, "Wifi traag tijdens toets in lokaal {lokaal}"),
            (I, "Access point lokaal {lokaal} knippert oranje"),
            (R, "Wifi-gastaccounts aanvragen voor de ouderavond"),
            (R, "Extra access point aanvragen voor lokaal {lokaal}"),
            (C, "Firmware-update access points"),
            (C, "Nieuw wifi-netwerk voor gasten inrichten"),
        ],
    ),
    sub(
        "netwerk",
        "bekabeling",
        [15, 8, 3],
        &[
            (I, "Netwerkaansluiting lokaal {lokaal} werkt niet"),
            (I, "Patchkabel in serverkast los na schoonmaak"),
            (R, "Extra netwerkaansluiting aanvragen lokaal {lokaal}"),
            (C, "Vervanging switch serverruimte"),
        ],
    ),
    sub(
        "netwerk",
        "internet",
        [20, 3, 5],
        &[
            (I, "Internet traag op de hele locatie"),
            (I, "Geen internet in gebouw B"),
            (I, "Internetverbinding valt 's middags steeds even weg"),
            (R, "Verhoging bandbreedte aanvragen"),
            (C, "Overstap naar nieuwe glasvezelverbinding"),
            (C, "Firewallregels aanpassen voor het toetsplatform"),
        ],
    ),
    sub(
        "account",
        "wachtwoord",
        [35, 110, 0],
        &[
            (I, "Account {wie} geblokkeerd na te veel inlogpogingen"),
            (I, "MFA-code komt niet aan bij {wie}"),
            (R, "Wachtwoord reset {lln}"),
            (R, "Wachtwoord reset {wie}"),
            (R, "Wachtwoorden resetten voor {n} leerlingen van {groep}"),
        ],
    ),
    sub(
        "account",
        "rechten",
        [20, 60, 3],
        &[
            (I, "{wie} kan de teammap niet meer openen"),
            (R, "Rechten op teammap aanvragen voor {wie}"),
            (R, "Toegang tot leerlingdossiers voor nieuwe IB'er"),
            (R, "Beheerrechten Magister voor nieuwe teamleider"),
            (C, "Rechtenstructuur teamsites herzien"),
        ],
    ),
    sub(
        "account",
        "aanmaken",
        [5, 75, 2],
        &[
            (I, "Nieuw account {wie} werkt nog niet"),
            (R, "Account aanmaken nieuwe {wie}"),
            (R, "Accounts aanmaken voor {n} nieuwe leerlingen"),
            (R, "Account aanmaken stagiair"),
            (R, "Account uitschakelen vertrokken medewerker"),
            (
                C,
                "Koppeling leerlingadministratie met accountbeheer aanpassen",
            ),
        ],
    ),
    sub(
        "applicatie",
        "Magister",
        [45, 25, 6],
        &[
            (I, "Magister geeft foutmelding bij invoeren cijfers"),
            (I, "Rooster in Magister niet zichtbaar voor {lln}"),
            (I, "Magister-app laat geen huiswerk zien"),
            (R, "Extra Magister-rol voor {wie}"),
            (R, "Magister-koppeling aanvragen voor nieuwe lesmethode"),
            (C, "Magister inrichten voor de schooljaarovergang"),
        ],
    ),
    sub(
        "applicatie",
        "Somtoday",
        [35, 18, 4],
        &[
            (I, "Somtoday slaat absenties niet op"),
            (I, "Inloggen in Somtoday lukt niet voor {lln}"),
            (I, "Cijfers in Somtoday niet zichtbaar voor ouders"),
            (R, "Somtoday-rechten voor nieuwe mentor"),
            (
                C,
                "Koppeling Somtoday met de elektronische leeromgeving aanpassen",
            ),
        ],
    ),
    sub(
        "applicatie",
        "Office 365",
        [45, 20, 6],
        &[
            (I, "Word loopt vast bij openen van document"),
            (I, "Excel-bestand op OneDrive niet te openen"),
            (I, "OneDrive synchroniseert niet op laptop {wie}"),
            (R, "Gedeeld OneNote-notitieblok aanmaken voor {groep}"),
            (R, "Office-licentie aanvragen voor {wie}"),
            (C, "Updatekanaal Office 365 wijzigen"),
        ],
    ),
    sub(
        "applicatie",
        "Teams",
        [35, 18, 4],
        &[
            (I, "Geen geluid in Teams-vergadering"),
            (I, "Teams loopt vast bij scherm delen"),
            (I, "Opdrachten in Teams niet zichtbaar voor {lln}"),
            (R, "Team aanmaken voor de sectie Nederlands"),
            (R, "Gast toevoegen aan Team van {groep}"),
            (C, "Teams-beleid voor chat tussen leerlingen aanpassen"),
        ],
    ),
    sub(
        "printer",
        "storing",
        [55, 10, 2],
        &[
            (I, "Printer lerarenkamer geeft papierstoring"),
            (I, "Printer lokaal {lokaal} print niets"),
            (I, "Kopieerapparaat geeft foutcode {n}"),
            (I, "Printer administratie print alleen lege pagina's"),
            (R, "Printer toevoegen op laptop {wie}"),
            (C, "Vervanging multifunctional hoofdgebouw"),
        ],
    ),
    sub(
        "printer",
        "toner",
        [10, 35, 0],
        &[
            (I, "Printer lerarenkamer print vaag, toner bijna op"),
            (R, "Toner bestellen voor printer lokaal {lokaal}"),
            (R, "Nieuwe toner zwart en geel voor kopieerapparaat"),
        ],
    ),
    sub(
        "printer",
        "scannen",
        [20, 10, 0],
        &[
            (I, "Scannen naar e-mail werkt niet"),
            (I, "Scannen naar map geeft foutmelding"),
            (R, "Scanprofiel aanmaken voor de administratie"),
        ],
    ),
    sub(
        "telefonie",
        "toestel",
        [14, 10, 0],
        &[
            (I, "Toestel receptie geeft geen kiestoon"),
            (I, "Doorschakelen naar mobiel werkt niet"),
            (R, "Nieuw toestel voor {wie}"),
            (R, "Doorschakeling instellen voor de vakantie"),
        ],
    ),
    sub(
        "telefonie",
        "mobiel",
        [8, 10, 0],
        &[
            (I, "Mobiele telefoon conciërge heeft geen bereik in gebouw"),
            (R, "Mobiel abonnement aanvragen voor {wie}"),
        ],
    ),
    sub(
        "telefonie",
        "centrale",
        [5, 2, 3],
        &[
            (I, "Keuzemenu telefooncentrale speelt verkeerde melding af"),
            (R, "Nieuwe welkomstboodschap voor de telefooncentrale"),
            (C, "Keuzemenu telefooncentrale aanpassen"),
        ],
    ),
    sub(
        "av-middelen",
        "digibord",
        [50, 10, 4],
        &[
            (I, "Digibord lokaal {lokaal} geeft geen beeld"),
            (I, "Touchscreen {groep} reageert niet"),
            (I, "Pen digibord lokaal {lokaal} werkt niet"),
            (I, "Digibord {groep} reageert naast de aanraking"),
            (R, "Digibord verplaatsen naar lokaal {lokaal}"),
            (R, "Digibordsoftware installeren op laptop {wie}"),
            (C, "Vervanging digiborden door touchscreens in {n} lokalen"),
        ],
    ),
    sub(
        "av-middelen",
        "beamer",
        [25, 10, 1],
        &[
            (I, "Beamer aula gaat na vijf minuten uit"),
            (I, "Beeld beamer lokaal {lokaal} flikkert"),
            (R, "Beamer en scherm reserveren voor de ouderavond"),
            (C, "Beamers aula en gymzaal vervangen"),
        ],
    ),
    sub(
        "av-middelen",
        "geluid",
        [15, 8, 0],
        &[
            (I, "Geen geluid via speakers lokaal {lokaal}"),
            (I, "Microfoon aula kraakt"),
            (R, "Geluidsset aanvragen voor de eindmusical"),
        ],
    ),
    sub(
        "e-mail",
        "mailbox",
        [25, 20, 0],
        &[
            (I, "Mails komen niet aan bij {wie}"),
            (I, "Mailbox {wie} is vol"),
            (R, "Afwezigheidsmelding instellen voor {wie}"),
        ],
    ),
    sub(
        "e-mail",
        "spam",
        [15, 3, 0],
        &[
            (I, "Veel spam in mailbox administratie"),
            (I, "Mail van ouders komt in ongewenste e-mail"),
            (R, "Afzender vrijgeven in spamfilter"),
        ],
    ),
    sub(
        "e-mail",
        "gedeelde mailbox",
        [6, 20, 2],
        &[
            (I, "Gedeelde mailbox zorgteam niet zichtbaar in Outlook"),
            (R, "Gedeelde mailbox aanvragen voor het zorgteam"),
            (R, "Toegang gedeelde mailbox info@ voor {wie}"),
            (C, "SPF- en DKIM-records schooldomein aanpassen"),
        ],
    ),
    sub(
        "beveiliging",
        "phishing",
        [20, 2, 0],
        &[
            (I, "Verdachte mail ontvangen met link naar inlogpagina"),
            (I, "{wie} heeft op een phishinglink geklikt"),
            (R, "Phishingmail laten controleren voor {wie}"),
        ],
    ),
    sub(
        "beveiliging",
        "malware",
        [8, 0, 0],
        &[
            (I, "Virusmelding op pc lokaal {lokaal}"),
            (I, "Verdacht programma op laptop {wie}"),
        ],
    ),
    sub(
        "beveiliging",
        "datalek",
        [6, 0, 0],
        &[
            (I, "USB-stick met leerlinggegevens kwijt"),
            (I, "Mail met cijferlijst naar verkeerde ontvanger gestuurd"),
        ],
    ),
    sub(
        "beveiliging",
        "MFA",
        [12, 8, 6],
        &[
            (I, "MFA-app werkt niet op nieuwe telefoon {wie}"),
            (R, "MFA resetten voor {wie}"),
            (C, "MFA verplicht maken voor alle medewerkers"),
            (C, "Nieuwe beleidsregels Defender uitrollen"),
        ],
    ),
];

const ROLES: &[&str] = &[
    "docent",
    "leerkracht",
    "IB'er",
    "conciërge",
    "administratie",
    "directeur",
    "teamleider",
    "mentor",
    "stagiair",
    "onderwijsassistent",
    "invalkracht",
];

const APPS: &[&str] = &[
    "Word",
    "Excel",
    "Gynzy",
    "Snappet",
    "Basispoort",
    "GeoGebra",
    "Zoom",
];

/// Summaries that are markup in Typst or formulas in Excel: the reports must print them as is.
const TRICKY_SUMMARIES: &[&str] = &[
    "=SOM(A1:A3) in rapport klopt niet",
    "Printer #3 \"lokaal 1.02\" geeft $-teken",
    "@docent kan map [Projecten] niet openen",
    "+31 nummer doorschakelen lukt niet, toestel 2.14",
    "- Scherm blijft zwart na update, zie *bijlage*",
    "Map \\\\fileserver\\teams\\groep_7 niet bereikbaar",
    "Foutmelding <label> en #fout in cijferlijst_2026",
    "Teams toont $naam$ in plaats van naam, \"vreemd\"",
    "=HYPERLINK(\"http://x\") staat in notitie, *niet* klikken",
    "Bestand rooster_[week 41]_definitief.xlsx: #VERW! in cel B2",
];

/// The P1 incidents: a major outage each, with the provider's analysis for the RCA file.
/// `{school}`, `{datum}` and `{duur}` in `impact` are filled in per incident.
struct P1Scenario {
    category: &'static str,
    subcategory: &'static str,
    summary: &'static str,
    onsite: bool,
    author: &'static str,
    cause: &'static str,
    impact: &'static str,
    actions: &'static [&'static str],
    measures: &'static [(&'static str, &'static str)],
}

const P1_SCENARIOS: &[P1Scenario] = &[
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

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

const WEEKDAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

// ---------------------------------------------------------------------------------------------
// tickets.csv

/// Tickets per half hour of a workday from 07:30 to 17:30: a morning peak, a dip at lunch.
const HALF_HOURS: [u64; 20] = [
    5, 16, 22, 20, 17, 15, 13, 12, 10, 8, 9, 11, 11, 10, 9, 8, 7, 6, 4, 2,
];

/// Flags of a planned P1 incident.
const P1: u8 = 1;
const RCA_LATE: u8 = 2;
const RCA_MISSING: u8 = 4;
const BY_EMAIL: u8 = 8;
const LAST_DAYS: u8 = 16;

/// The deliberate faults, in the order they appear in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    DutchDate,
    UnknownType,
    RespondedBeforeOpened,
    DuplicateId,
    EmptySchool,
    PriorityP7,
    ImpactHeelHoog,
    Yesterday,
}

const FAULTS: [Fault; 8] = [
    Fault::DutchDate,
    Fault::UnknownType,
    Fault::RespondedBeforeOpened,
    Fault::DuplicateId,
    Fault::EmptySchool,
    Fault::PriorityP7,
    Fault::ImpactHeelHoog,
    Fault::Yesterday,
];

/// A ticket before it is generated: when it opens and what it is.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: NaiveDateTime,
    kind: TicketType,
    p1: u8,
}

/// What differs per month: the calendar, the hot topics and how well the desk performs.
struct MonthPlan {
    workdays: Vec<NaiveDate>,
    workday_weights: Table,
    offdays: Vec<NaiveDate>,
    /// Subcategory weights per ticket type (incident, service request, change).
    subs: [Table; 3],
    response_breach: f64,
    resolution_breach: f64,
    first_line: f64,
    late_escalation: f64,
}

/// A resolved P1 with its RCA delivered, for `rca/<id>.toml`.
struct P1Record {
    id: String,
    school: usize,
    scenario: usize,
    opened: NaiveDateTime,
    resolved: NaiveDateTime,
    rca: NaiveDateTime,
}

struct TicketsWritten {
    valid: u64,
    errors: u64,
    p1s: Vec<P1Record>,
}

/// One generated ticket; reused from row to row so the hot loop does not allocate.
struct Row {
    kind: TicketType,
    number: u32,
    school: usize,
    category: &'static str,
    subcategory: &'static str,
    summary: String,
    impact: Level,
    urgency: Level,
    priority: Priority,
    record_priority: bool,
    channel: Channel,
    opened: NaiveDateTime,
    responded: Option<NaiveDateTime>,
    resolved: Option<NaiveDateTime>,
    closed: Option<NaiveDateTime>,
    first_line: Option<bool>,
    out_of_scope: bool,
    escalated: Option<NaiveDateTime>,
    onsite: Option<bool>,
    change_class: Option<ChangeClass>,
    cab_approved: Option<bool>,
    change_failed: Option<bool>,
    rca: Option<NaiveDateTime>,
    scenario: Option<usize>,
}

impl Row {
    fn new() -> Self {
        Row {
            kind: TicketType::Incident,
            number: 0,
            school: 0,
            category: "",
            subcategory: "",
            summary: String::with_capacity(128),
            impact: Level::Low,
            urgency: Level::Low,
            priority: Priority::P4,
            record_priority: true,
            channel: Channel::Portal,
            opened: NaiveDateTime::MIN,
            responded: None,
            resolved: None,
            closed: None,
            first_line: None,
            out_of_scope: false,
            escalated: None,
            onsite: None,
            change_class: None,
            cab_approved: None,
            change_failed: None,
            rca: None,
            scenario: None,
        }
    }

    fn id(&self) -> String {
        format!("{}{:06}", prefix(self.kind), self.number)
    }
}

fn type_index(t: TicketType) -> usize {
    match t {
        TicketType::Incident => 0,
        TicketType::ServiceRequest => 1,
        TicketType::Change => 2,
    }
}

fn prefix(t: TicketType) -> &'static str {
    match t {
        TicketType::Incident => "INC",
        TicketType::ServiceRequest => "REQ",
        TicketType::Change => "CHG",
    }
}

/// Sorting tickets that open in the same minute by id: CHG < INC < REQ.
fn id_rank(t: TicketType) -> u8 {
    match t {
        TicketType::Change => 0,
        TicketType::Incident => 1,
        TicketType::ServiceRequest => 2,
    }
}

fn at(date: NaiveDate, minute_of_day: i64) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN) + TimeDelta::minutes(minute_of_day)
}

fn minute_of_day(t: NaiveDateTime) -> i64 {
    i64::from(t.hour() * 60 + t.minute())
}

/// The local midnight that starts `date`, as a local time (the cut-off of the month before).
fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

fn plan_month(rng: &mut Rng, clock: &BusinessClock, first: NaiveDate) -> MonthPlan {
    let next = first + chrono::Months::new(1);
    let days = first.iter_days().take_while(|d| *d < next);
    let (workdays, offdays): (Vec<NaiveDate>, Vec<NaiveDate>) =
        days.partition(|d| clock.is_workday(*d));
    // Mondays are busiest, Wednesday afternoons and Fridays quiet at schools.
    let workday_weights = Table::new(workdays.iter().map(|d| match d.weekday() {
        Weekday::Mon => 125,
        Weekday::Tue => 105,
        Weekday::Wed => 90,
        Weekday::Thu => 100,
        _ => 80,
    }));
    // Two subcategories are this month's hot topics; September is the start of the school
    // year, with new accounts, passwords and Chromebooks.
    let hot = [
        rng.below(SUBS.len() as u64) as usize,
        rng.below(SUBS.len() as u64) as usize,
    ];
    let september = first.month() == 9;
    let subs = [0, 1, 2].map(|t| {
        Table::new(SUBS.iter().enumerate().map(|(i, s)| {
            let mut w = s.weight[t] * 4;
            if t == 0 && hot.contains(&i) {
                w *= 3;
            }
            if september && (s.category == "account" || s.name == "chromebook") {
                w = w * 5 / 2;
            }
            w
        }))
    });
    MonthPlan {
        workday_weights,
        workdays,
        offdays,
        subs,
        response_breach: 0.03 + 0.04 * rng.unit(),
        resolution_breach: 0.05 + 0.05 * rng.unit(),
        first_line: 0.66 + 0.10 * rng.unit(),
        late_escalation: 0.05 + 0.10 * rng.unit(),
    }
}

/// Tickets in a month when the caller gives no total: about 2,500, quieter in the summer
/// holidays and busier when the school year starts.
fn default_volume(rng: &mut Rng, month: u32) -> u64 {
    let factor = match month {
        7 => 0.90,
        8 => 0.86,
        9 => 1.12,
        10 => 1.04,
        12 => 0.90,
        _ => 1.0,
    };
    (2500.0 * factor * (0.97 + 0.06 * rng.unit())).round() as u64
}

fn write_tickets(
    dir: &Path,
    opts: &DemoOptions,
    months: &[NaiveDate],
    contract: &LoadedContract,
) -> io::Result<TicketsWritten> {
    let clock = &contract.clock;
    let mut rng = Rng::new(opts.seed, 1);
    let plans: Vec<MonthPlan> = months
        .iter()
        .map(|m| plan_month(&mut rng, clock, *m))
        .collect();
    let volumes: Vec<u64> = match opts.tickets {
        Some(n) => {
            let k = months.len() as u64;
            (0..k).map(|i| n / k + u64::from(i < n % k)).collect()
        }
        None => months
            .iter()
            .map(|m| default_volume(&mut rng, m.month()))
            .collect(),
    };
    let total: u64 = volumes.iter().sum();

    // The P1 incidents of each month, and the few with a story: one RCA delivered late, one
    // missing in an older month, one reported by e-mail, one in the last days of the range.
    let last = months.len() - 1;
    let min_p1 = if months.len() == 1 { 3 } else { 2 };
    let mut p1_plan: Vec<Vec<u8>> = volumes
        .iter()
        .map(|&n| {
            let count = ((rng.range(2, 5) as u64 * n + 1250) / 2500)
                .max(min_p1)
                .min(n);
            vec![P1; count as usize]
        })
        .collect();
    let last_count = p1_plan[last].len();
    let mut flag = |month: usize, index: usize, f: u8| {
        if let Some(p) = p1_plan[month].get_mut(index) {
            *p |= f;
        }
    };
    let missing_month = last.saturating_sub(1);
    flag(0, 0, RCA_LATE);
    flag(missing_month, usize::from(missing_month == 0), RCA_MISSING);
    flag(months.len() / 2, 1, BY_EMAIL);
    flag(last, last_count.saturating_sub(1), LAST_DAYS);

    let positions: Vec<u64> = if total >= 100 {
        (1..=FAULTS.len() as u64)
            .map(|k| k * total / (FAULTS.len() as u64 + 1))
            .collect()
    } else {
        Vec::new()
    };
    let duplicate_of = FAULTS
        .iter()
        .position(|f| *f == Fault::DuplicateId)
        .and_then(|k| positions.get(k))
        .map(|p| p.saturating_sub(40));

    let cutoff = midnight(*months.last().expect("one month at least") + chrono::Months::new(1));
    let mut generator = TicketGen {
        rng,
        contract,
        schools: Table::new(SCHOOLS.iter().map(|s| s.weight)),
        cutoff,
        next_number: [0; 3],
        row: Row::new(),
    };
    for n in &mut generator.next_number {
        *n = 10_000 + generator.rng.below(40_000) as u32;
    }

    let file = File::create(dir.join("tickets.csv"))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(crate::canonical::COLUMNS.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    let mut line = Vec::with_capacity(512);
    let mut duplicate = Vec::new();
    let (mut written, mut errors, mut next_fault) = (0u64, 0u64, 0usize);
    let mut p1s = Vec::new();

    for (m, plan) in plans.iter().enumerate() {
        let slots = month_slots(&mut generator.rng, plan, volumes[m], &p1_plan[m]);
        for slot in &slots {
            while positions.get(next_fault) == Some(&written) {
                let fault = FAULTS[next_fault];
                if fault == Fault::DuplicateId {
                    out.write_all(&duplicate)?;
                } else {
                    generator.generate(&Slot { p1: 0, ..*slot }, plan);
                    line.clear();
                    write_row(&mut line, &generator.row, Some(fault));
                    out.write_all(&line)?;
                }
                errors += 1;
                next_fault += 1;
            }
            generator.generate(slot, plan);
            let row = &generator.row;
            line.clear();
            write_row(&mut line, row, None);
            out.write_all(&line)?;
            if duplicate_of == Some(written) {
                duplicate.clone_from(&line);
            }
            if let (Some(scenario), Some(resolved), Some(rca)) =
                (row.scenario, row.resolved, row.rca)
            {
                p1s.push(P1Record {
                    id: row.id(),
                    school: row.school,
                    scenario,
                    opened: row.opened,
                    resolved,
                    rca,
                });
            }
            written += 1;
        }
    }
    out.flush()?;
    Ok(TicketsWritten {
        valid: written,
        errors,
        p1s,
    })
}

/// The month's tickets as slots, sorted by opening time and then by id.
fn month_slots(rng: &mut Rng, plan: &MonthPlan, n: u64, p1s: &[u8]) -> Vec<Slot> {
    let mut slots = Vec::with_capacity(n as usize);
    let early: Vec<NaiveDate> = plan
        .workdays
        .iter()
        .copied()
        .filter(|d| d.day() <= 12)
        .collect();
    let last_two = &plan.workdays[plan.workdays.len().saturating_sub(2)..];
    for &flags in p1s.iter().take(n as usize) {
        // Outages are noticed and phoned in during school hours.
        // The one in the last days is resolved the same day; its RCA is not yet due.
        let (day, latest) = if flags & (RCA_LATE | RCA_MISSING) != 0 {
            (*rng.pick(&early), 15 * 60 + 30)
        } else if flags & LAST_DAYS != 0 {
            (*rng.pick(last_two), 14 * 60)
        } else {
            (plan.workdays[plan.workday_weights.pick(rng)], 15 * 60 + 30)
        };
        let at = at(day, rng.range(8 * 60, latest));
        slots.push(Slot {
            at,
            kind: TicketType::Incident,
            p1: flags,
        });
    }
    let half_hours = Table::new(HALF_HOURS);
    while (slots.len() as u64) < n {
        let kind = match rng.weighted(&[55, 38, 7]) {
            0 => TicketType::Incident,
            1 => TicketType::ServiceRequest,
            _ => TicketType::Change,
        };
        let u = rng.unit();
        let at = if u < 0.88 || plan.offdays.is_empty() {
            let day = plan.workdays[plan.workday_weights.pick(rng)];
            at(
                day,
                7 * 60 + 30 + 30 * half_hours.pick(rng) as i64 + rng.range(0, 29),
            )
        } else if u < 0.95 {
            // Evenings and early mornings, through the portal or by e-mail.
            let day = plan.workdays[plan.workday_weights.pick(rng)];
            if rng.chance(0.25) {
                at(day, rng.range(6 * 60 + 30, 7 * 60 + 29))
            } else {
                at(day, rng.range(17 * 60 + 30, 22 * 60 + 29))
            }
        } else {
            at(*rng.pick(&plan.offdays), rng.range(9 * 60, 21 * 60 + 59))
        };
        slots.push(Slot { at, kind, p1: 0 });
    }
    slots.sort_by_key(|s| (s.at, id_rank(s.kind)));
    slots
}

/// Business minutes until an event with the given target: mostly well within it, a share
/// `breach` over it, a fifth of those far over.
fn minutes_for(rng: &mut Rng, target: i64, breach: f64) -> i64 {
    let t = target as f64;
    if rng.chance(breach) {
        let factor = if rng.chance(0.2) {
            2.0 + 3.0 * rng.unit()
        } else {
            1.02 + 0.6 * rng.unit()
        };
        ((t * factor).ceil() as i64).max(target + 1)
    } else {
        let u = rng.unit();
        ((t * (0.03 + 0.92 * u * u)) as i64).clamp(1, target)
    }
}

/// Impact and urgency that the matrix (spec §1) turns into `p`.
fn matrix_cell(rng: &mut Rng, p: Priority) -> (Level, Level) {
    use Level::*;
    match p {
        Priority::P1 => (High, High),
        Priority::P2 => *rng.pick(&[(High, Medium), (High, Medium), (Medium, High)]),
        Priority::P3 => [(Medium, Medium), (High, Low), (Low, High)][rng.weighted(&[60, 15, 25])],
        Priority::P4 => [(Medium, Low), (Low, Medium), (Low, Low)][rng.weighted(&[35, 35, 30])],
    }
}

struct TicketGen<'a> {
    rng: Rng,
    contract: &'a LoadedContract,
    schools: Table,
    cutoff: NaiveDateTime,
    next_number: [u32; 3],
    row: Row,
}

impl TicketGen<'_> {
    /// Fills `self.row` with the ticket of `slot`.
    fn generate(&mut self, slot: &Slot, plan: &MonthPlan) {
        let TicketGen {
            rng,
            contract,
            schools,
            cutoff,
            next_number,
            row,
        } = self;
        let (clock, cutoff) = (&contract.clock, *cutoff);
        let ti = type_index(slot.kind);
        next_number[ti] += 1;
        row.kind = slot.kind;
        row.number = next_number[ti];
        row.opened = slot.at;
        row.school = schools.pick(rng);
        let is_p1 = slot.p1 & P1 != 0;

        // What it is about, and how urgent.
        row.change_class = None;
        row.scenario = None;
        row.summary.clear();
        if is_p1 {
            let s = rng.below(P1_SCENARIOS.len() as u64) as usize;
            let scenario = &P1_SCENARIOS[s];
            row.scenario = Some(s);
            row.category = scenario.category;
            row.subcategory = scenario.subcategory;
            row.summary.push_str(scenario.summary);
            row.priority = Priority::P1;
            (row.impact, row.urgency) = (Level::High, Level::High);
            row.record_priority = true;
            row.channel = if slot.p1 & BY_EMAIL != 0 {
                Channel::Email
            } else {
                Channel::Phone
            };
        } else {
            let sub = &SUBS[plan.subs[ti].pick(rng)];
            row.category = sub.category;
            row.subcategory = sub.name;
            if rng.below(400) == 0 {
                row.summary.push_str(*rng.pick(TRICKY_SUMMARIES));
            } else {
                let tag = [I, R, C][ti];
                let count = sub.templates.iter().filter(|(t, _)| t & tag != 0).count();
                let k = rng.below(count as u64) as usize;
                let template = sub
                    .templates
                    .iter()
                    .filter(|(t, _)| t & tag != 0)
                    .nth(k)
                    .expect("a template")
                    .1;
                fill_template(&mut row.summary, template, rng, SCHOOLS[row.school].kind);
            }
            let weights: [u32; 4] = match slot.kind {
                TicketType::Incident => [0, 10, 38, 52],
                TicketType::ServiceRequest => [0, 5, 30, 65],
                TicketType::Change => {
                    let (class, weights) = match rng.weighted(&[70, 25, 5]) {
                        0 => (ChangeClass::Standard, [0, 0, 30, 70]),
                        1 => (ChangeClass::NonStandard, [0, 10, 50, 40]),
                        _ => (ChangeClass::Emergency, [0, 85, 15, 0]),
                    };
                    row.change_class = Some(class);
                    weights
                }
            };
            row.priority = Priority::ALL[rng.weighted(&weights)];
            if rng.chance(0.01) {
                // A priority set by hand that the matrix does not give: a data-quality warning.
                let other = match row.priority {
                    Priority::P3 if rng.chance(0.5) => Priority::P2,
                    Priority::P2 | Priority::P3 => Priority::P4,
                    _ => Priority::P3,
                };
                (row.impact, row.urgency) = matrix_cell(rng, other);
                row.record_priority = true;
            } else {
                (row.impact, row.urgency) = matrix_cell(rng, row.priority);
                row.record_priority = rng.chance(0.7);
            }
            let minute = minute_of_day(slot.at);
            let in_hours = clock.is_workday(slot.at.date()) && (450..1050).contains(&minute);
            row.channel = if !in_hours {
                [Channel::Email, Channel::Portal][rng.weighted(&[35, 65])]
            } else if row.priority == Priority::P2 && slot.kind == TicketType::Incident {
                [Channel::Phone, Channel::Email, Channel::Portal][rng.weighted(&[50, 15, 35])]
            } else {
                [Channel::Phone, Channel::Email, Channel::Portal][rng.weighted(&[17, 28, 55])]
            };
        }

        // When things happened, in business minutes after opening.
        let target = contract.target(slot.kind, row.priority);
        let response = if is_p1 {
            if rng.chance(0.1) {
                rng.range(16, 35)
            } else {
                rng.range(2, 12)
            }
        } else {
            minutes_for(rng, target.response_minutes, plan.response_breach)
        };
        let mut resolution = if is_p1 {
            let on_time = slot.p1 & LAST_DAYS != 0 || !rng.chance(0.25);
            if on_time {
                rng.range(35, 118)
            } else {
                rng.range(125, 420)
            }
        } else {
            minutes_for(rng, target.resolution_minutes, plan.resolution_breach)
        };
        resolution = resolution.max(response + rng.range(1, 20));
        let first_line = slot.kind != TicketType::Change && !is_p1 && rng.chance(plan.first_line);
        let escalation = if slot.kind == TicketType::Change || first_line {
            None
        } else if is_p1 {
            Some(response + rng.range(3, 20))
        } else if rng.chance(plan.late_escalation) {
            Some(rng.range(241, 900).max(response))
        } else {
            Some(rng.range(response.min(240), 240).max(response))
        };
        if let Some(e) = escalation {
            let work = if is_p1 {
                rng.range(10, 30)
            } else {
                rng.range(15, 240)
            };
            resolution = resolution.max(e + work);
        }
        let opened_utc = clock.instant(slot.at).unwrap_or_else(|| slot.at.and_utc());
        let after =
            |minutes: i64| clock.local(clock.add_business_seconds(opened_utc, minutes * 60));
        let before_cutoff = |t: NaiveDateTime| Some(t).filter(|t| *t < cutoff);
        let resolved = after(resolution);
        row.responded = before_cutoff(after(response));
        row.resolved = before_cutoff(resolved);
        row.escalated = escalation.map(after).and_then(before_cutoff);
        let closed = match rng.weighted(&[40, 30, 20, 10]) {
            0 => resolved + TimeDelta::minutes(rng.range(5, 120)),
            k => at(
                clock.add_workdays(resolved.date(), k as u32),
                rng.range(8 * 60, 16 * 60 + 59),
            ),
        };
        row.closed = row.resolved.and(before_cutoff(closed));
        if row.resolved.is_some() && !is_p1 && rng.chance(0.03) {
            row.responded = None;
        }
        row.first_line = match (slot.kind, row.resolved, row.escalated) {
            (TicketType::Change, _, _) => None,
            (_, Some(_), _) => Some(first_line),
            (_, None, Some(_)) => Some(false),
            (_, None, None) => None,
        };
        row.out_of_scope = !is_p1 && rng.chance(0.02);
        row.onsite = ONSITE_CATEGORIES
            .contains(&row.category)
            .then(|| match row.scenario {
                Some(s) => P1_SCENARIOS[s].onsite,
                None => rng.chance(0.10),
            });
        row.cab_approved = match row.change_class {
            Some(ChangeClass::NonStandard) => Some(!rng.chance(0.04)),
            Some(ChangeClass::Emergency) => rng.chance(0.85).then_some(true),
            _ => None,
        };
        row.change_failed = row.change_class.and(row.resolved).map(|_| rng.chance(0.02));

        // The root-cause analysis of a P1: due 5 workdays after resolution.
        row.rca = None;
        if let (true, Some(resolved)) = (is_p1, row.resolved) {
            let workdays = if slot.p1 & RCA_MISSING != 0 {
                None
            } else if slot.p1 & RCA_LATE != 0 {
                Some(rng.range(6, 9))
            } else if slot.p1 & LAST_DAYS != 0 {
                Some(rng.range(2, 5))
            } else {
                Some(rng.range(1, 5))
            };
            if let Some(k) = workdays {
                let day = clock.add_workdays(resolved.date(), k as u32);
                row.rca = before_cutoff(at(day, rng.range(9 * 60, 16 * 60 + 30)));
            }
        }
    }
}

/// Fills a summary template; see [`Sub`] for the placeholders.
fn fill_template(out: &mut String, template: &str, rng: &mut Rng, kind: SchoolKind) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("placeholders are closed");
        // Writing to a String cannot fail.
        let _ = match &rest[open + 1..close] {
            "lokaal" => write!(out, "{}.{:02}", rng.range(0, 3), rng.range(1, 24)),
            "wie" => write!(out, "{}", rng.pick(ROLES)),
            "app" => write!(out, "{}", rng.pick(APPS)),
            "n" => write!(out, "{}", rng.range(2, 30)),
            "lln" => match kind {
                SchoolKind::Primary => write!(out, "leerling groep {}", rng.range(3, 8)),
                SchoolKind::Secondary => {
                    let level = rng.pick(&["mavo", "havo", "vwo"]);
                    write!(out, "leerling {} {level}", rng.range(1, 5))
                }
                SchoolKind::Special => write!(out, "leerling klas {}", rng.range(1, 6)),
                SchoolKind::Office => write!(out, "stagiair"),
            },
            "groep" => match kind {
                SchoolKind::Primary => write!(out, "groep {}", rng.range(1, 8)),
                SchoolKind::Secondary => {
                    write!(
                        out,
                        "klas {}{}",
                        rng.range(1, 6),
                        char::from(b'A' + rng.below(5) as u8)
                    )
                }
                SchoolKind::Special => write!(out, "klas {}", rng.range(1, 6)),
                SchoolKind::Office => write!(out, "afdeling P&O"),
            },
            other => unreachable!("unknown placeholder {{{other}}}"),
        };
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
}

// ---------------------------------------------------------------------------------------------
// CSV writing

/// Appends a field, quoted per RFC 4180 when it holds a comma, quote or line break.
fn push_field(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// Appends `n` zero-padded to `width` digits (wider when it needs more).
fn push_num(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let (mut i, mut n) = (digits.len(), n);
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (digits.len() - i)..width {
        out.push(b'0');
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_date(out: &mut Vec<u8>, d: NaiveDate) {
    push_num(out, d.year() as u64, 4);
    out.push(b'-');
    push_num(out, u64::from(d.month()), 2);
    out.push(b'-');
    push_num(out, u64::from(d.day()), 2);
}

/// `YYYY-MM-DDTHH:MM`, local time.
fn push_time(out: &mut Vec<u8>, t: NaiveDateTime) {
    push_date(out, t.date());
    out.push(b'T');
    push_num(out, u64::from(t.hour()), 2);
    out.push(b':');
    push_num(out, u64::from(t.minute()), 2);
}

fn push_opt_time(out: &mut Vec<u8>, t: Option<NaiveDateTime>) {
    if let Some(t) = t {
        push_time(out, t);
    }
}

fn push_opt_bool(out: &mut Vec<u8>, b: Option<bool>) {
    if let Some(b) = b {
        out.extend_from_slice(if b { b"true" } else { b"false" });
    }
}

/// Appends one `tickets.csv` row (with its line break), spoiled by `fault` if given.
fn write_row(out: &mut Vec<u8>, r: &Row, fault: Option<Fault>) {
    out.extend_from_slice(prefix(r.kind).as_bytes());
    push_num(out, u64::from(r.number), 6);
    out.push(b',');
    let kind = if fault == Some(Fault::UnknownType) {
        "storm"
    } else {
        r.kind.key()
    };
    out.extend_from_slice(kind.as_bytes());
    out.push(b',');
    if fault != Some(Fault::EmptySchool) {
        push_field(out, SCHOOLS[r.school].name);
    }
    out.push(b',');
    push_field(out, r.category);
    out.push(b',');
    push_field(out, r.subcategory);
    out.push(b',');
    push_field(out, &r.summary);
    out.push(b',');
    let impact = if fault == Some(Fault::ImpactHeelHoog) {
        "heel hoog"
    } else {
        r.impact.key()
    };
    out.extend_from_slice(impact.as_bytes());
    out.push(b',');
    out.extend_from_slice(r.urgency.key().as_bytes());
    out.push(b',');
    if fault == Some(Fault::PriorityP7) {
        out.extend_from_slice(b"P7");
    } else if r.record_priority {
        out.extend_from_slice(r.priority.key().as_bytes());
    }
    out.push(b',');
    out.extend_from_slice(r.channel.key().as_bytes());
    out.push(b',');
    if fault == Some(Fault::DutchDate) {
        // As a spreadsheet in a Dutch locale writes it.
        let o = r.opened;
        let _ = write!(
            out,
            "{:02}-{:02}-{} {}:{:02}",
            o.day(),
            o.month(),
            o.year(),
            o.hour(),
            o.minute()
        );
    } else {
        push_time(out, r.opened);
    }
    out.push(b',');
    match fault {
        Some(Fault::Yesterday) => out.extend_from_slice(b"gisteren"),
        Some(Fault::RespondedBeforeOpened) => push_time(out, r.opened - TimeDelta::minutes(50)),
        _ => push_opt_time(out, r.responded),
    }
    out.push(b',');
    push_opt_time(out, r.resolved);
    out.push(b',');
    push_opt_time(out, r.closed);
    out.push(b',');
    push_opt_bool(out, r.first_line);
    out.push(b',');
    push_opt_bool(out, Some(r.out_of_scope));
    out.push(b',');
    push_opt_time(out, r.escalated);
    out.push(b',');
    push_opt_bool(out, r.onsite);
    out.push(b',');
    if let Some(c) = r.change_class {
        out.extend_from_slice(c.key().as_bytes());
    }
    out.push(b',');
    push_opt_bool(out, r.cab_approved);
    out.push(b',');
    push_opt_bool(out, r.change_failed);
    out.push(b',');
    push_opt_time(out, r.rca);
    out.push(b'\n');
}

// ---------------------------------------------------------------------------------------------
// rca/<id>.toml

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

fn write_rca_files(
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

// ---------------------------------------------------------------------------------------------
// calls.csv

fn write_calls(
    dir: &Path,
    seed: u64,
    months: &[NaiveDate],
    clock: &BusinessClock,
) -> io::Result<u64> {
    let mut rng = Rng::new(seed, 2);
    let mut out = BufWriter::new(File::create(dir.join("calls.csv"))?);
    out.write_all(b"started_at,wait_seconds,answered\n")?;
    // Calls arrive during the service window, 08:00-17:00, with the tickets' morning peak.
    let half_hours = Table::new(HALF_HOURS[1..19].iter().copied());
    let mut line = Vec::with_capacity(64);
    let mut calls = 0;
    let mut starts: Vec<u32> = Vec::new();
    for &first in months {
        let next = first + chrono::Months::new(1);
        let workdays: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| *d < next)
            .filter(|d| clock.is_workday(*d))
            .collect();
        // How busy and how reachable the desk is differs per month.
        let total = rng.range(350, 450) as u64;
        let slow = 0.10 + 0.10 * rng.unit();
        let very_slow = 0.003 + 0.015 * rng.unit();
        let abandon = 0.6 + 0.8 * rng.unit();
        let weights: Vec<u64> = workdays
            .iter()
            .map(|d| rng.range(70, 130) as u64 + if d.weekday() == Weekday::Mon { 40 } else { 0 })
            .collect();
        let sum: u64 = weights.iter().sum();
        let mut counts: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
        let short = total - counts.iter().sum::<u64>();
        for c in counts.iter_mut().take(short as usize) {
            *c += 1;
        }
        for (day, count) in workdays.iter().zip(counts) {
            starts.clear();
            starts.extend((0..count).map(|_| {
                8 * 3600 + 1800 * half_hours.pick(&mut rng) as u32 + rng.below(1800) as u32
            }));
            starts.sort_unstable();
            for &s in &starts {
                let u = rng.unit();
                let wait = if u < very_slow {
                    rng.range(61, 240)
                } else if u < very_slow + slow {
                    rng.range(21, 60)
                } else {
                    let v = rng.unit();
                    1 + (20.0 * v * v) as i64
                };
                let p_abandon = match wait {
                    0..=20 => 0.01,
                    21..=60 => 0.08,
                    _ => 0.45,
                };
                let answered = !rng.chance(p_abandon * abandon);
                line.clear();
                push_date(&mut line, *day);
                line.push(b'T');
                push_num(&mut line, u64::from(s / 3600), 2);
                line.push(b':');
                push_num(&mut line, u64::from(s / 60 % 60), 2);
                line.push(b':');
                push_num(&mut line, u64::from(s % 60), 2);
                line.push(b',');
                push_num(&mut line, wait as u64, 1);
                line.extend_from_slice(if answered { b",true\n" } else { b",false\n" });
                out.write_all(&line)?;
                calls += 1;
            }
        }
    }
    out.flush()?;
    Ok(calls)
}

// ---------------------------------------------------------------------------------------------
// measurements.csv

struct Measurements {
    out: BufWriter<File>,
    rows: u64,
}

impl Measurements {
    fn row(&mut self, period: &str, kpi: &str, value: &str, note: &str) -> io::Result<()> {
        let mut line = Vec::with_capacity(96);
        for (i, field) in [period, kpi, value, note].into_iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            push_field(&mut line, field);
        }
        line.push(b'\n');
        self.rows += 1;
        self.out.write_all(&line)
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
struct LogCounts {
    complaints: Vec<(NaiveDate, u64)>,
    actions: Vec<((i32, u32), u64)>,
}

fn write_measurements(dir: &Path, seed: u64, months: &[NaiveDate], counts: &mut LogCounts) -> io::Result<u64> {
    let mut rng = Rng::new(seed, 3);
    let mut m = Measurements {
        out: BufWriter::new(File::create(dir.join("measurements.csv"))?),
        rows: 0,
    };
    m.out.write_all(b"period,kpi,value,note\n")?;
    let mut quarters: Vec<(i32, u32)> = Vec::new();
    let mut halves: Vec<(i32, u32)> = Vec::new();
    for &first in months {
        let period = format!("{:04}-{:02}", first.year(), first.month());
        let month_name = MONTHS_NL[first.month0() as usize];
        for (list, key) in [
            (&mut quarters, first.month0() / 3 + 1),
            (&mut halves, first.month0() / 6 + 1),
        ] {
            if list.last() != Some(&(first.year(), key)) {
                list.push((first.year(), key));
            }
        }

        let cmdb = percent(&mut rng, 97.0, 99.5);
        let note = if cmdb < 98.0 {
            "steekproef van 200 CI's, afwijkingen in locatiegegevens na verhuizing"
        } else {
            "steekproef van 200 CI's"
        };
        m.row(&period, "cmdb_accuracy", &format!("{cmdb:.1}"), note)?;

        let patch = if rng.chance(0.3) {
            100.0
        } else {
            percent(&mut rng, 96.0, 99.9)
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

        let provisioning = percent(&mut rng, 93.0, 99.0);
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

        let complaints = rng.weighted(&[40, 35, 18, 7]);
        let note = match complaints {
            0 => String::new(),
            1 => "1 klacht over de wachttijd aan de telefoon".into(),
            n => format!("{n} klachten, onder meer over de wachttijd aan de telefoon"),
        };
        // Counted from klachten.csv (written by `write_logs` with this many per month).
        let _ = note;
        counts.complaints.push((first, complaints as u64));
    }
    for (year, q) in quarters {
        let period = format!("{year:04}-Q{q}");
        let os = percent(&mut rng, 92.0, 99.0);
        let note = if os < 95.0 {
            "oudere Chromebooks kunnen niet naar de nieuwste ChromeOS-versie"
        } else {
            ""
        };
        m.row(&period, "os_up_to_date", &format!("{os:.1}"), note)?;
        let licences = if rng.chance(0.7) {
            100.0
        } else {
            percent(&mut rng, 97.0, 99.9)
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
            percent(&mut rng, 96.0, 99.9)
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
    }
    for (year, h) in halves {
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

// ---------------------------------------------------------------------------------------------
// klachten.csv, escalaties.csv, verbeteracties.csv

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

/// A CSV line of `fields`.
fn csv_line(out: &mut impl Write, fields: &[&str]) -> io::Result<()> {
    let mut line = Vec::with_capacity(128);
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_field(&mut line, field);
    }
    line.push(b'\n');
    out.write_all(&line)
}

/// The complaints per month (as many as `counts` says), an escalation in each month with two
/// or more, and the improvement actions per quarter: as many implemented as `counts` says,
/// each answering to a KPI, a recurring issue, a P1's RCA or a complaint, plus one action
/// overdue and one due later. The last month's last complaint is still being handled.
fn write_logs(dir: &Path, seed: u64, p1s: &[P1Record], counts: &LogCounts) -> io::Result<()> {
    let mut rng = Rng::new(seed, 4);
    let day = |d: NaiveDate, n: i64| d + chrono::Duration::days(n);
    let mut complaints = BufWriter::new(File::create(dir.join("klachten.csv"))?);
    let mut escalations = BufWriter::new(File::create(dir.join("escalaties.csv"))?);
    complaints.write_all(b"id,received,school,channel,subject,ticket,handled,outcome\n")?;
    escalations.write_all(b"id,date,level,subject,ticket,resolved,note\n")?;
    // (id, received) of every complaint, for the actions that answer to one.
    let mut written: Vec<(String, NaiveDate)> = Vec::new();
    let last_month = counts.complaints.last().map(|(m, _)| *m);
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

    let mut actions = BufWriter::new(File::create(dir.join("verbeteracties.csv"))?);
    actions.write_all(b"id,title,source,owner,opened,due,implemented,status,note\n")?;
    let mut number = 0;
    for &((year, q), n) in &counts.actions {
        let Some(start) = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1) else { continue };
        let end = day(start + chrono::Months::new(3), -1);
        // Only days the demo covers.
        let covered_end = last_month.map_or(end, |m| end.min(day(m + chrono::Months::new(1), -1)));
        let p1 = p1s.iter().find(|p| p.resolved.date() >= start && p.resolved.date() <= covered_end);
        let complaint = written.iter().find(|(_, d)| *d >= start && *d <= covered_end);
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};
    use std::path::PathBuf;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use chrono::{DateTime, Utc};

    use super::*;
    use crate::evaluate::{Status, evaluate};
    use crate::load::{DataSet, load_tickets_csv};

    /// A fresh, unique directory under the system's temp dir.
    fn temp_dir(name: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("slarapport-demo-{}-{name}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn load(dir: &Path) -> DataSet {
        let bytes = fs::read(dir.join("tickets.csv")).unwrap();
        load_tickets_csv(&bytes, "tickets.csv", &LoadedContract::embedded()).unwrap()
    }

    /// The default data set, written once for all tests that only read it: its summary, the
    /// loaded tickets and every file's bytes by relative path (the folder is removed).
    fn default_set() -> &'static (DemoSummary, DataSet, BTreeMap<String, Vec<u8>>) {
        static SET: OnceLock<(DemoSummary, DataSet, BTreeMap<String, Vec<u8>>)> = OnceLock::new();
        SET.get_or_init(|| {
            let dir = temp_dir("default");
            let summary = write_demo(&dir, &DemoOptions::default()).unwrap();
            let (data, files) = (load(&dir), files(&dir));
            fs::remove_dir_all(&dir).unwrap();
            (summary, data, files)
        })
    }

    fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
        String::from_utf8(files[name].clone()).unwrap()
    }

    fn cutoff(c: &LoadedContract) -> DateTime<Utc> {
        c.clock
            .instant(midnight(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()))
            .unwrap()
    }

    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for sub in [dir.to_path_buf(), dir.join("rca")] {
            for entry in fs::read_dir(&sub).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    let rel = path.strip_prefix(dir).unwrap();
                    let name = rel
                        .iter()
                        .map(|c| c.to_str().unwrap())
                        .collect::<Vec<_>>()
                        .join("/");
                    out.insert(name, fs::read(&path).unwrap());
                }
            }
        }
        out
    }

    #[test]
    fn same_options_give_identical_files() {
        let opts = DemoOptions::default();
        let (a, b) = (temp_dir("same-a"), temp_dir("same-b"));
        assert_eq!(
            write_demo(&a, &opts).unwrap(),
            write_demo(&b, &opts).unwrap()
        );
        let (fa, fb) = (files(&a), files(&b));
        assert!(
            fa.len() > 3 && fa.keys().any(|k| k.starts_with("rca")),
            "{:?}",
            fa.keys()
        );
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (name, bytes) in &fa {
            assert!(bytes == &fb[name], "{name} differs");
        }
        let other = temp_dir("same-c");
        write_demo(&other, &DemoOptions { seed: 7, ..opts }).unwrap();
        assert_ne!(
            files(&other)["tickets.csv"],
            fa["tickets.csv"],
            "the seed matters"
        );
        for d in [a, b, other] {
            fs::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn loads_with_exactly_the_planted_rejections() {
        let (summary, data, _) = default_set();
        assert_eq!(summary.error_rows, 8);
        assert_eq!(
            data.rejections.len() as u64,
            summary.error_rows,
            "{:#?}",
            data.rejections
        );
        assert_eq!(data.tickets.len() as u64, summary.tickets);
        assert_eq!(data.rows_read, summary.tickets + summary.error_rows);
        let columns: Vec<&str> = data.rejections.iter().map(|r| r.column.as_str()).collect();
        for col in [
            "opened_at",
            "type",
            "responded_at",
            "id",
            "school",
            "priority",
            "impact",
        ] {
            assert!(columns.contains(&col), "no rejection on {col}: {columns:?}");
        }
        assert!(data.notes.is_empty(), "{:?}", data.notes);
        // Warnings: a few recorded priorities off the matrix, and exactly one P1 by e-mail.
        let count = |col: &str| data.warnings.iter().filter(|w| w.column == col).count();
        assert_eq!(count("channel"), 1);
        let mismatches = count("priority");
        assert!(
            (20..=250).contains(&mismatches),
            "{mismatches} priority warnings"
        );
    }

    #[test]
    fn every_month_has_a_realistic_volume_and_mix() {
        let (_, data, _) = default_set();
        let c = LoadedContract::embedded();
        let mut per_month: BTreeMap<(i32, u32), usize> = BTreeMap::new();
        let mut types: HashMap<TicketType, usize> = HashMap::new();
        let mut priorities: HashMap<Priority, usize> = HashMap::new();
        let mut p1_per_month: BTreeMap<u32, usize> = BTreeMap::new();
        for t in &data.tickets {
            let local = c.clock.local(t.opened_at);
            *per_month.entry((local.year(), local.month())).or_default() += 1;
            *types.entry(t.ticket_type).or_default() += 1;
            *priorities.entry(t.priority).or_default() += 1;
            if t.priority == Priority::P1 {
                *p1_per_month.entry(local.month()).or_default() += 1;
            }
        }
        assert_eq!(
            per_month.keys().copied().collect::<Vec<_>>(),
            vec![(2026, 7), (2026, 8), (2026, 9), (2026, 10)]
        );
        for (month, n) in &per_month {
            assert!((2000..=3000).contains(n), "{month:?}: {n} tickets");
        }
        let total = data.tickets.len() as f64;
        let share = |n: usize| n as f64 / total;
        assert!(
            (0.50..0.60).contains(&share(types[&TicketType::Incident])),
            "{types:?}"
        );
        assert!(
            (0.33..0.43).contains(&share(types[&TicketType::ServiceRequest])),
            "{types:?}"
        );
        assert!(
            (0.05..0.09).contains(&share(types[&TicketType::Change])),
            "{types:?}"
        );
        for p in Priority::ALL {
            assert!(
                priorities.get(&p).copied().unwrap_or(0) > 0,
                "no {p:?}: {priorities:?}"
            );
        }
        assert!(
            (0.06..0.10).contains(&share(priorities[&Priority::P2])),
            "{priorities:?}"
        );
        assert!(
            (0.30..0.40).contains(&share(priorities[&Priority::P3])),
            "{priorities:?}"
        );
        for (month, n) in &p1_per_month {
            assert!((2..=6).contains(n), "month {month}: {n} P1s");
        }
        let schools: std::collections::HashSet<&str> =
            data.tickets.iter().map(|t| t.school.as_str()).collect();
        assert_eq!(schools.len(), SCHOOLS.len());
        let tricky = data
            .tickets
            .iter()
            .filter(|t| TRICKY_SUMMARIES.contains(&t.summary.as_str()))
            .count();
        assert!(tricky >= 10, "{tricky} summaries with markup characters");
    }

    #[test]
    fn most_tickets_meet_their_targets_and_some_do_not() {
        let (_, data, _) = default_set();
        let c = LoadedContract::embedded();
        let cutoff = cutoff(&c);
        let (mut resp, mut resp_breached, mut res, mut res_breached) = (0, 0, 0, 0);
        let (mut overdue, mut not_yet_due, mut derived) = (0, 0, 0);
        for t in &data.tickets {
            let e = evaluate(t, &c, cutoff);
            resp += 1;
            resp_breached += usize::from(e.response.status == Status::Breached);
            derived += usize::from(e.response.derived);
            match (t.resolved_at, e.resolution.status) {
                (Some(_), s) => {
                    res += 1;
                    res_breached += usize::from(s == Status::Breached);
                }
                (None, Status::Breached) => overdue += 1,
                (None, _) => not_yet_due += 1,
            }
        }
        let rate = |a: usize, b: usize| a as f64 / b as f64;
        assert!(
            (0.02..0.12).contains(&rate(resp_breached, resp)),
            "response {resp_breached}/{resp}"
        );
        assert!(
            (0.04..0.15).contains(&rate(res_breached, res)),
            "resolution {res_breached}/{res}"
        );
        assert!(overdue >= 2, "{overdue} open tickets past their target");
        assert!(not_yet_due >= 20, "{not_yet_due} open tickets not yet due");
        assert!(
            (0.01..0.05).contains(&rate(derived, res)),
            "{derived} without a response time"
        );
        let first_line = data
            .tickets
            .iter()
            .filter(|t| t.first_line_resolved == Some(true))
            .count();
        let known = data
            .tickets
            .iter()
            .filter(|t| t.first_line_resolved.is_some())
            .count();
        assert!(
            (0.64..0.78).contains(&rate(first_line, known)),
            "first line {first_line}/{known}"
        );
        let oos = data.tickets.iter().filter(|t| t.out_of_scope).count();
        assert!(
            (0.01..0.03).contains(&rate(oos, data.tickets.len())),
            "{oos} out of scope"
        );
    }

    #[test]
    fn p1_rca_files_tell_the_story() {
        let (_, data, files) = default_set();
        let c = LoadedContract::embedded();
        let p1s: Vec<_> = data
            .tickets
            .iter()
            .filter(|t| t.priority == Priority::P1)
            .collect();
        let (mut late, mut overdue, mut not_yet_due) = (0, 0, 0);
        let last_day = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        for t in &p1s {
            let Some(resolved_at) = t.resolved_at else {
                continue;
            };
            let resolved = c.clock.local(resolved_at).date();
            let due = c.clock.add_workdays(resolved, 5);
            let path = format!("rca/{}.toml", t.id);
            match t.rca_delivered_at {
                Some(d) => {
                    let delivered = c.clock.local(d).date();
                    late += usize::from(delivered > due);
                    let doc: toml::Table = toml::from_str(&text(files, &path)).unwrap();
                    assert_eq!(doc["ticket"].as_str(), Some(t.id.as_str()));
                    assert_eq!(
                        doc["delivered_on"].as_str(),
                        Some(delivered.to_string().as_str())
                    );
                    for key in ["author", "cause", "impact"] {
                        assert!(!doc[key].as_str().unwrap().is_empty(), "{key}");
                    }
                    assert!(!doc["actions"].as_array().unwrap().is_empty());
                    let measures = doc["preventive_measures"].as_array().unwrap();
                    assert!((1..=3).contains(&measures.len()));
                    assert!(
                        measures[0]["due_on"].as_str().unwrap() > delivered.to_string().as_str()
                    );
                }
                None => {
                    assert!(!files.contains_key(&path));
                    if due <= last_day {
                        overdue += 1
                    } else {
                        not_yet_due += 1
                    }
                }
            }
        }
        assert!(late >= 1, "no late RCA");
        assert!(overdue >= 1, "no overdue RCA");
        assert!(not_yet_due >= 1, "no RCA that is not yet due");
        let rca_files = files.keys().filter(|k| k.starts_with("rca/")).count();
        assert_eq!(
            rca_files,
            p1s.iter().filter(|t| t.rca_delivered_at.is_some()).count()
        );
    }

    #[test]
    fn calls_and_measurements_cover_the_range() {
        let (summary, _, files) = default_set();
        let calls = text(files, "calls.csv");
        let mut lines = calls.lines();
        assert_eq!(lines.next(), Some("started_at,wait_seconds,answered"));
        let mut per_month: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        let mut rows = 0;
        for line in lines {
            let f: Vec<&str> = line.split(',').collect();
            let wait: u32 = f[1].parse().unwrap();
            let e = per_month.entry(&f[0][..7]).or_default();
            e.0 += 1;
            e.1 += usize::from(wait <= 20);
            e.2 += usize::from(f[2] == "false");
            rows += 1;
        }
        assert_eq!(rows, summary.calls);
        assert_eq!(per_month.len(), 4);
        for (month, (n, fast, abandoned)) in per_month {
            assert!((350..=450).contains(&n), "{month}: {n} calls");
            assert!(
                (0.75..0.93).contains(&(fast as f64 / n as f64)),
                "{month}: {fast}/{n} within 20 s"
            );
            assert!(
                abandoned >= 1 && abandoned * 10 < n,
                "{month}: {abandoned} abandoned"
            );
        }
        let measurements = text(files, "measurements.csv");
        let periods: std::collections::BTreeSet<&str> = measurements
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        let expected = [
            "2026-07", "2026-08", "2026-09", "2026-10", "2026-Q3", "2026-Q4", "2026-H2",
        ];
        assert_eq!(periods, expected.into_iter().collect());
        assert_eq!(
            measurements.lines().count() as u64 - 1,
            summary.measurements
        );
        // Complaints and improvement actions come from the logs now.
        assert_eq!(summary.measurements, 4 * 5 + 2 * 4 + 1);
    }

    #[test]
    fn a_ticket_total_is_spread_over_the_months() {
        let dir = temp_dir("ten-thousand");
        let opts = DemoOptions {
            tickets: Some(10_000),
            seed: 42,
            ..DemoOptions::default()
        };
        let summary = write_demo(&dir, &opts).unwrap();
        assert_eq!(summary.tickets, 10_000);
        let data = load(&dir);
        assert_eq!(data.tickets.len(), 10_000);
        assert_eq!(data.rows_read, 10_000 + summary.error_rows);
        assert_eq!(data.rejections.len() as u64, summary.error_rows);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn one_month_and_bad_ranges() {
        let dir = temp_dir("one-month");
        let opts = DemoOptions {
            from: (2026, 12),
            to: (2026, 12),
            tickets: Some(500),
            seed: 1,
        };
        let summary = write_demo(&dir, &opts).unwrap();
        let data = load(&dir);
        assert_eq!(data.tickets.len(), 500);
        assert_eq!(data.rejections.len() as u64, summary.error_rows);
        fs::remove_dir_all(&dir).unwrap();
        let backwards = DemoOptions {
            from: (2026, 10),
            to: (2026, 7),
            ..DemoOptions::default()
        };
        assert_eq!(
            write_demo(&dir, &backwards).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        let bad = DemoOptions {
            to: (2026, 13),
            ..DemoOptions::default()
        };
        assert!(write_demo(&dir, &bad).is_err());
        assert!(!dir.exists(), "nothing is written for invalid options");
    }

    #[test]
    fn every_subcategory_has_a_summary_for_each_type_it_is_drawn_for() {
        for s in SUBS {
            for (t, tag) in [I, R, C].into_iter().enumerate() {
                let has = s.templates.iter().any(|(tags, _)| tags & tag != 0);
                assert_eq!(s.weight[t] > 0, has, "{}/{} type {t}", s.category, s.name);
            }
        }
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let mut out = Vec::new();
        push_field(&mut out, "Printer #3 \"lokaal 1.02\", boven");
        assert_eq!(out, b"\"Printer #3 \"\"lokaal 1.02\"\", boven\"");
        out.clear();
        push_field(&mut out, "=SOM(A1:A3)");
        assert_eq!(out, b"=SOM(A1:A3)");
        out.clear();
        push_num(&mut out, 42, 6);
        push_num(&mut out, 1_234_567, 6);
        assert_eq!(out, b"0000421234567");
    }

    /// Not a test: `cargo test --release --lib demo::tests::timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn timing() {
        for tickets in [None, Some(1_000_000)] {
            let dir = temp_dir("timing");
            let start = std::time::Instant::now();
            let s = write_demo(
                &dir,
                &DemoOptions {
                    tickets,
                    ..DemoOptions::default()
                },
            )
            .unwrap();
            println!("{tickets:?}: {s:?} in {:.2?}", start.elapsed());
            fs::remove_dir_all(dir).unwrap();
        }
    }
}
