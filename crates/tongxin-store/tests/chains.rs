//! The enterprise register and the chain lists as stored, on every backend: one credit code
//! one enterprise, corrections and 链主 steps checked against the version read (one of two
//! officials wins), segments counted per chain link.

use chrono::{NaiveDate, TimeZone, Utc};
use tongxin_store::testing::TestDb;
use tongxin_store::{ChainItemRow, EnterpriseWrite, MasterStepRow, StoreError};

fn seg(c: &str, s: &str) -> (String, String) {
    (c.to_owned(), s.to_owned())
}

#[tokio::test]
async fn one_credit_code_one_enterprise_and_versions_guard_every_change() {
    for db in TestDb::all().await {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap();
        let s = &db.store;
        let segments = [seg("pv", "ingot"), seg("pv", "wafer")];
        let w = EnterpriseWrite {
            credit_code: "91640324MA76XXXX1A",
            name: "宁夏某光伏材料有限公司",
            key_tax_source: true,
            note: "",
            segments: &segments,
            by: "dept",
        };
        let mut tx = s.begin().await.unwrap();
        let id = tx.insert_enterprise(&w, now).await.unwrap();
        tx.commit().await.unwrap();

        let mut tx = s.begin().await.unwrap();
        let again = tx.insert_enterprise(&w, now).await;
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "{}",
            db.url
        );
        drop(tx);

        let e = s
            .enterprise_by_code("91640324MA76XXXX1A")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(e.id, id);
        assert!(e.key_tax_source);
        assert_eq!(e.segments, segments.to_vec());
        let counts = s.segment_enterprise_counts().await.unwrap();
        assert!(counts.contains(&("pv".into(), "ingot".into(), 1)));

        // A correction at the version read replaces the segments; a second at the same version
        // is stale.
        let moved = [seg("pv", "module")];
        let fix = EnterpriseWrite {
            segments: &moved,
            ..w.clone()
        };
        let mut tx = s.begin().await.unwrap();
        tx.update_enterprise(id, e.version, &fix, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = s.begin().await.unwrap();
        let stale = tx.update_enterprise(id, e.version, &fix, now).await;
        assert!(matches!(stale, Err(StoreError::StaleVersion)));
        drop(tx);
        let e = s.enterprise(id).await.unwrap().unwrap();
        assert_eq!(e.segments, moved.to_vec());
        assert_eq!(s.chain_enterprises("pv").await.unwrap().len(), 1);
        assert!(s.chain_enterprises("chem").await.unwrap().is_empty());

        // 链主: a step moves the status and is kept.
        let step = MasterStepRow {
            id: 0,
            enterprise_id: id,
            chain_key: "pv".into(),
            level: "candidate".into(),
            decided_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            decision: "县产业链工作领导小组2026年第3次会议".into(),
            reward: None,
            note: String::new(),
            recorded_by: "dept".into(),
            recorded_at: String::new(),
        };
        let mut tx = s.begin().await.unwrap();
        tx.insert_master_step(&step, e.version, now).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = s.begin().await.unwrap();
        let stale = tx.insert_master_step(&step, e.version, now).await;
        assert!(matches!(stale, Err(StoreError::StaleVersion)));
        drop(tx);
        let county = MasterStepRow {
            level: "county".into(),
            reward: Some(5_000),
            ..step.clone()
        };
        let e = s.enterprise(id).await.unwrap().unwrap();
        let mut tx = s.begin().await.unwrap();
        tx.insert_master_step(&county, e.version, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let e = s.enterprise(id).await.unwrap().unwrap();
        assert_eq!(
            (e.master_level.as_str(), e.master_chain.as_str()),
            ("county", "pv")
        );
        let steps = s.master_steps(id).await.unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].reward, Some(5_000));
        assert_eq!(steps[0].reward, None);
    }
}

#[tokio::test]
async fn chain_items_are_listed_and_corrected_at_their_version() {
    for db in TestDb::all().await {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap();
        let s = &db.store;
        let item = ChainItemRow {
            id: 0,
            chain_key: "chem".into(),
            kind: "blockage".into(),
            title: "合成氨原料气供应不稳".into(),
            detail: String::new(),
            measure: "协调气源企业签订长协".into(),
            segment_key: "ammonia".into(),
            status: "open".into(),
            created_by: "park".into(),
            created_at: String::new(),
            updated_by: "park".into(),
            updated_at: String::new(),
            version: 0,
        };
        let mut tx = s.begin().await.unwrap();
        let id = tx.insert_chain_item(&item, now).await.unwrap();
        tx.commit().await.unwrap();
        let got = s.chain_item(id).await.unwrap().unwrap();
        assert_eq!(got.measure, "协调气源企业签订长协");
        assert_eq!(
            s.open_chain_item_counts().await.unwrap(),
            vec![("chem".into(), "blockage".into(), 1)]
        );
        let done = ChainItemRow {
            status: "resolved".into(),
            ..got.clone()
        };
        let mut tx = s.begin().await.unwrap();
        tx.update_chain_item(&done, now).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = s.begin().await.unwrap();
        assert!(matches!(
            tx.update_chain_item(&done, now).await,
            Err(StoreError::StaleVersion)
        ));
        drop(tx);
        assert!(s.open_chain_item_counts().await.unwrap().is_empty());
        assert_eq!(s.chain_items("chem").await.unwrap().len(), 1);
    }
}
