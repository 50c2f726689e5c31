//! The web crate's integration tests, one binary: each file below is a module, and `support` is
//! their shared test server. (One binary links the whole stack once instead of twenty times.)

mod support;

mod cases_api;
mod field_api;
mod field_pages;
mod gov_investment_api;
mod gov_investment_pages;
mod gov_investment_path;
mod homestead_pages;
mod homestead_siting;
mod imports;
mod indicators;
mod investment_api;
mod notifications;
mod policy_calendar;
mod public_pages;
mod reports_api;
mod revenue;
mod supervision_api;
mod supervision_pages;
mod supervision_plans;
mod temporary_land_api;
mod temporary_land_pages;
mod temporary_land_siting;
mod web;
