//! Ids from the path. A segment that is not a positive integer cannot name anything: 404.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};

use crate::error::AppError;

pub struct Id {
    vehicle: i64,
    record: Option<i64>,
}

impl Id {
    pub fn vehicle(&self) -> i64 {
        self.vehicle
    }

    pub fn vehicle_and_record(&self) -> Result<(i64, i64), AppError> {
        self.record
            .map(|r| (self.vehicle, r))
            .ok_or(AppError::NotFound)
    }
}

fn segment(req: &HttpRequest, name: &str) -> Option<Result<i64, AppError>> {
    req.match_info().get(name).map(|raw| {
        raw.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(AppError::NotFound)
    })
}

impl FromRequest for Id {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = (|| {
            let vehicle = segment(req, "vehicleId").ok_or(AppError::NotFound)??;
            let record = segment(req, "recordId").transpose()?;
            Ok(Id { vehicle, record })
        })();
        ready(result)
    }
}
