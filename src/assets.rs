//! The files compiled into the binary that every layer may read: the report templates, the
//! language tables (`templates/lang/*.toml`) and the cover messages. They live here, at the
//! bottom of the module graph, so that the label tables (`i18n`) and the readers that write
//! messages in a report's language need not reach up into `render` for them; `render::world`
//! builds its template set from them.

/// The embedded default templates: (path inside the template folder, contents).
pub const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    ("lib.typ", include_str!("../templates/lib.typ")),
    ("monthly.typ", include_str!("../templates/monthly.typ")),
    ("kpi.typ", include_str!("../templates/kpi.typ")),
    ("voice.typ", include_str!("../templates/voice.typ")),
    ("commentary.typ", include_str!("../templates/commentary.typ")),
    ("quarterly.typ", include_str!("../templates/quarterly.typ")),
    ("lang/nl-quarterly.toml", include_str!("../templates/lang/nl-quarterly.toml")),
    ("lang/en-quarterly.toml", include_str!("../templates/lang/en-quarterly.toml")),
    ("rca.typ", include_str!("../templates/rca.typ")),
    ("lang/nl-rca.toml", include_str!("../templates/lang/nl-rca.toml")),
    ("lang/en-rca.toml", include_str!("../templates/lang/en-rca.toml")),
    ("lang/nl-branding.toml", include_str!("../templates/lang/nl-branding.toml")),
    ("lang/en-branding.toml", include_str!("../templates/lang/en-branding.toml")),
    ("lang/nl-charts.toml", include_str!("../templates/lang/nl-charts.toml")),
    ("lang/nl-contract.toml", include_str!("../templates/lang/nl-contract.toml")),
    ("lang/en-contract.toml", include_str!("../templates/lang/en-contract.toml")),
    ("lang/en-charts.toml", include_str!("../templates/lang/en-charts.toml")),
    ("changes.typ", include_str!("../templates/changes.typ")),
    ("annual.typ", include_str!("../templates/annual.typ")),
    ("lang/nl-annual.toml", include_str!("../templates/lang/nl-annual.toml")),
    ("lang/en-annual.toml", include_str!("../templates/lang/en-annual.toml")),
    ("lang/nl-changes.toml", include_str!("../templates/lang/nl-changes.toml")),
    ("lang/en-changes.toml", include_str!("../templates/lang/en-changes.toml")),
    ("lang/nl-voice.toml", include_str!("../templates/lang/nl-voice.toml")),
    ("lang/en-voice.toml", include_str!("../templates/lang/en-voice.toml")),
    ("lang/nl-commentary.toml", include_str!("../templates/lang/nl-commentary.toml")),
    ("lang/en-commentary.toml", include_str!("../templates/lang/en-commentary.toml")),
    ("lang/nl.toml", include_str!("../templates/lang/nl.toml")),
    ("lang/en.toml", include_str!("../templates/lang/en.toml")),
    ("mail/monthly.nl.txt", include_str!("../templates/mail/monthly.nl.txt")),
    ("mail/monthly.en.txt", include_str!("../templates/mail/monthly.en.txt")),
];
