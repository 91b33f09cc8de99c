//! slarapport: SLA reports, KPI domain scores, malus and RCA documents from ticket exports.
//!
//! The pipeline runs one way: `load` → `evaluate` (per ticket, on the `clock`) → `report`
//! (aggregate per period into one model) → `render` (PDF, XLSX, JSON). See ARCHITECTURE.md.

pub mod assets;
pub mod branding;
pub mod canonical;
pub mod cli;
pub mod clock;
pub mod contract;
pub mod demo;
pub mod digest;
pub mod error;
pub mod evaluate;
pub mod limits;
pub mod load;
pub mod mapping;
pub mod natural;
pub mod manifest;
pub mod period;
pub mod progress;
pub mod report;
pub mod table;
pub mod ticket;
pub mod timestamp;
pub mod i18n;
pub mod kpi;
pub mod render;
pub mod commands;
pub mod output;
pub mod rca;
pub mod voice;
