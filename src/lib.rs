//! slarapport: SLA reports, KPI domain scores, malus and RCA documents from ticket exports.
//!
//! The pipeline runs one way: files are read into cells (`table`), cells into canonical rows
//! and tickets (`canonical`, `mapping`), the data folder into one `DataSet` (`load`); tickets
//! are evaluated on the business `clock` (`evaluate`), scored (`kpi`) and aggregated per period
//! into one model (`report`), which is rendered (`render`: PDF, XLSX, JSON) and written
//! (`output`, `manifest`) by the `commands`. The modules are listed below in that order; the
//! layers the imports must follow, submodules included, are in `tests/architecture.rs` (which
//! checks them) and ARCHITECTURE.md.

/// The version and the commit the binary was built from (`build.rs`: "unknown" when built
/// outside a git checkout), as `--version` prints it and a run's manifest records it.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("SLARAPPORT_BUILD_COMMIT"), ")");

// Foundations: nothing here knows what a ticket is.
pub mod error; // errors that stop a run, with a hint
pub mod limits; // the sizes the tool accepts; the one way an input file is opened
pub mod natural; // the order names are shown in
pub mod timestamp; // the fast parser for ISO timestamps
pub mod digest; // SHA-256 of a file's bytes
pub mod assets; // the templates and label tables compiled into the binary
pub mod progress; // the progress bar on a terminal

// Reading files into cells.
pub mod table; // CSV and XLSX as text cells with their lines

// The contract and its vocabulary.
pub mod clock; // business time: workdays, holidays, service windows
pub mod text; // the small, shared text of a ticket's fields
pub mod ticket; // the canonical ticket and its vocabularies
pub mod contract; // the contract file, validated; builds the clock
pub mod period; // months, quarters and years as date ranges
pub mod i18n; // label tables and nl/en number and date formats
pub mod branding; // a provider's names, logo and colours

// Intake: from the data folder to tickets and the other inputs.
pub mod canonical; // the canonical row, its validation, tickets.csv
pub mod mapping; // an ITSM export as it is, mapped onto canonical rows
pub mod voice; // readers of the provider's logs and commentary
pub mod load; // the data folder: every input of one report in a DataSet

// The core: evaluation, KPIs, the report model.
pub mod evaluate; // one ticket against its targets
pub mod kpi; // KPI figures, achievements, domain scores, malus
pub mod report; // aggregation per period into the report model
pub mod rca; // the RCA document of a P1; its files (rca::file) and due rules (rca::due) sit lower

// Output.
pub mod render; // PDF (Typst), Excel annex, JSON, cover message
pub mod manifest; // hashes of every input and output; verify
pub mod output; // atomic writes and the swap of a report folder

// The command line.
pub mod demo; // the deterministic demo data
pub mod commands; // one module per command
pub mod cli; // the clap command line and its dispatch
