//! Policy packs (政策包): the county's reviewed reference data in `policies/<county>/`, built
//! into the binary and validated at start. Errors name the file and the key.
//!
//! Today the pack holds the unit directory (units.toml); the policy-engine issue adds the
//! documents, their clause trees and the dated rules.

pub mod units;

pub use units::{PackError, load_directory};

/// The Tongxin county pack, as built into the binary.
pub mod tongxin {
    /// policies/tongxin/units.toml
    pub const UNITS_FILE: &str = "policies/tongxin/units.toml";
    pub const UNITS_TOML: &str = include_str!("../../../policies/tongxin/units.toml");

    /// The unit directory of the Tongxin pack.
    pub fn directory() -> Result<tongxin_domain::Directory, super::PackError> {
        super::load_directory(UNITS_FILE, UNITS_TOML)
    }
}
