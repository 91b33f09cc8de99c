//! The words of the demo: invented schools of De Haagse Scholen with their ticket volumes,
//! categories and subcategories with summary templates, staff roles, apps, summaries that are
//! markup in Typst or formulas in Excel, and Dutch month and weekday names.
//!
//! A contract manager judges a demo by whether it reads like their own service desk; keeping
//! all the words in one place lets the generators stay about numbers and times.

use std::fmt::Write as _;

use super::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SchoolKind {
    Primary,
    Secondary,
    Special,
    Office,
}

pub(super) struct School {
    pub(super) name: &'static str,
    pub(super) kind: SchoolKind,
    /// Relative ticket volume (roughly the number of pupils and devices).
    pub(super) weight: u64,
}

pub(super) const fn school(name: &'static str, kind: SchoolKind, weight: u64) -> School {
    School { name, kind, weight }
}

/// Invented schools; any likeness to a real school is a coincidence of Dutch naming habits.
pub(super) const SCHOOLS: &[School] = {
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
pub(super) const I: u8 = 1;
pub(super) const R: u8 = 2;
pub(super) const C: u8 = 4;

/// A subcategory with its volume per ticket type and its summary templates. Placeholders:
/// `{lokaal}` room, `{wie}` staff role, `{lln}` pupil, `{groep}` class, `{n}` number, `{app}`.
pub(super) struct Sub {
    pub(super) category: &'static str,
    pub(super) name: &'static str,
    /// Relative volume for incident, service request, change.
    pub(super) weight: [u64; 3],
    pub(super) templates: &'static [(u8, &'static str)],
}

pub(super) const fn sub(
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
pub(super) const ONSITE_CATEGORIES: [&str; 4] = ["werkplek", "netwerk", "printer", "av-middelen"];

pub(super) const SUBS: &[Sub] = &[
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
pub(super) const TRICKY_SUMMARIES: &[&str] = &[
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

pub(super) const MONTHS_NL: [&str; 12] = [
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

pub(super) const WEEKDAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// Fills a summary template; see [`Sub`] for the placeholders.
pub(super) fn fill_template(out: &mut String, template: &str, rng: &mut Rng, kind: SchoolKind) {
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
