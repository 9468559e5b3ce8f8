//! Unit systems and the labels of the reference §3.1 (`StaticHelper.GetFuelEconomyUnit`).
//!
//! Amounts are stored as entered; the unit system says how to read them. This mirrors
//! LubeLogger, whose records carry raw numbers and whose users choose the interpretation.

use serde::{Deserialize, Serialize};

/// The per-user unit system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum UnitSystem {
    /// Miles, US gallons, mpg (LubeLogger's default, `UseMPG`).
    #[default]
    Imperial,
    /// Kilometres, litres, L/100 km.
    Metric,
    /// Miles, litres entered, UK mpg (`UseMPG` + `UseUKMPG`).
    Uk,
}

impl UnitSystem {
    /// `useMPG` of the reference.
    pub fn use_mpg(self) -> bool {
        matches!(self, UnitSystem::Imperial | UnitSystem::Uk)
    }

    /// `useUKMPG` as the UI applies it: never for electric vehicles.
    pub fn use_uk_mpg(self, electric: bool) -> bool {
        matches!(self, UnitSystem::Uk) && !electric
    }

    pub fn distance_unit(self) -> &'static str {
        match self {
            UnitSystem::Imperial | UnitSystem::Uk => "mi",
            UnitSystem::Metric => "km",
        }
    }

    pub fn fuel_unit(self, electric: bool) -> &'static str {
        match (self, electric) {
            (_, true) => "kWh",
            (UnitSystem::Imperial, false) => "gal",
            (UnitSystem::Metric | UnitSystem::Uk, false) => "L",
        }
    }

    /// The fuel-economy label of the reference's table.
    pub fn economy_unit(self, electric: bool) -> &'static str {
        let mpg = self.use_mpg();
        if electric {
            return if mpg { "mi/kWh" } else { "kWh/100km" };
        }
        match (mpg, self.use_uk_mpg(electric)) {
            (true, _) => "mpg",
            (false, _) => "L/100km",
        }
    }

    /// True when a smaller economy figure is better (consumption rather than distance per unit).
    pub fn lower_is_better(self) -> bool {
        !self.use_mpg()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_reference_table() {
        let cases = [
            (UnitSystem::Imperial, false, "mpg", "gal", "mi"),
            (UnitSystem::Imperial, true, "mi/kWh", "kWh", "mi"),
            (UnitSystem::Metric, false, "L/100km", "L", "km"),
            (UnitSystem::Metric, true, "kWh/100km", "kWh", "km"),
            (UnitSystem::Uk, false, "mpg", "L", "mi"),
            (UnitSystem::Uk, true, "mi/kWh", "kWh", "mi"),
        ];
        for (units, electric, economy, fuel, distance) in cases {
            assert_eq!(
                units.economy_unit(electric),
                economy,
                "{units:?} {electric}"
            );
            assert_eq!(units.fuel_unit(electric), fuel, "{units:?} {electric}");
            assert_eq!(units.distance_unit(), distance, "{units:?}");
        }
        assert!(!UnitSystem::Uk.use_uk_mpg(true));
        assert!(UnitSystem::Uk.use_uk_mpg(false));
    }
}
