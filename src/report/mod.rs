//! From evaluated tickets to the report model (aggregation per period).

pub mod aggregate;
pub mod annual;
pub mod changes;
pub mod commentary;
pub mod cross_table;
pub mod interpretations;
pub mod model;
pub mod quarterly;
pub mod voice;
