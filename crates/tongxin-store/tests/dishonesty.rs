//! The dishonesty list as stored, on every backend: an entry is found from its decision day
//! through its last day, and not a day outside.

use chrono::{NaiveDate, TimeZone, Utc};
use tongxin_store::ListingRow;
use tongxin_store::testing::TestDb;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[tokio::test]
async fn an_entry_is_in_force_from_its_decision_through_its_last_day() {
    for db in TestDb::all().await {
        let now = Utc.with_ymd_and_hms(2024, 3, 4, 1, 0, 0).unwrap();
        let row = ListingRow {
            id: 0,
            subject_kind: "enterprise".into(),
            subject: "914403001922038216".into(),
            name: "某公司".into(),
            reason: "期满未复垦".into(),
            decision: "同自然资发〔2024〕15号".into(),
            decided_on: d(2024, 3, 4),
            until_on: d(2029, 3, 3),
            created_by: "dept".into(),
            created_at: String::new(),
        };
        let mut tx = db.store.begin().await.unwrap();
        let id = tx.insert_listing(&row, now).await.unwrap();
        tx.commit().await.unwrap();
        let s = &db.store;
        for (day, found) in [
            (d(2024, 3, 3), false),
            (d(2024, 3, 4), true),
            (d(2029, 3, 3), true),
            (d(2029, 3, 4), false),
        ] {
            let got = s.listing_of("914403001922038216", day).await.unwrap();
            assert_eq!(got.is_some(), found, "{day} on {}", db.url);
            if let Some(g) = got {
                assert_eq!(g.id, id);
                assert_eq!(g.until_on, d(2029, 3, 3));
            }
        }
        assert!(
            s.listing_of("OTHER", d(2025, 1, 1))
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(s.listings(Some(d(2029, 3, 4))).await.unwrap().len(), 0);
        assert_eq!(s.listings(None).await.unwrap().len(), 1);
    }
}
