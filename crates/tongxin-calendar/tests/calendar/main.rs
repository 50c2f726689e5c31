//! The calendar's specification, as tests. One binary, one module per topic.

mod deadlines;
mod national;
mod notice_text;
mod overlay;
mod periods;
mod properties;
mod query;
mod support;
mod workdays;
