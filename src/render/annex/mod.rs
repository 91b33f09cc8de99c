//! The Excel annexes of the monthly, quarterly and annual reports.
//!
//! Why it exists: the PDF shows the figures; an annex gives the same figures as numbers a
//! spreadsheet can filter, sort and recount, so the client can trace any figure back to the
//! rows it was made from. Every annex is written through one workbook layer:
//!
//! - `workbook`: formats, the book being written, the cell writer (text is always a string,
//!   never a formula), Excel's limits, list sheets that continue on numbered sheets;
//! - `formulas`: the live KPI formulas (achievement, domain score, malus staircase);
//! - `charts`: the pieces of the native Excel charts; `vocab`: the KPI vocabulary's words;
//! - `voice` and `changes`: sheets both the monthly and the quarterly annex hold;
//! - `monthly`, `quarterly`, `annual`: each annex's own sheets and their assembly.

mod annual;
mod changes;
mod charts;
mod formulas;
mod monthly;
mod quarterly;
mod vocab;
mod voice;
mod workbook;

pub use annual::annual_xlsx;
pub use monthly::{DQ_MAX_ROWS, monthly_xlsx};
pub use quarterly::quarterly_xlsx;
