//! Queries in the CLI's argument syntax (`tongxin calendar add-workdays 2024-02-05 5`).

use tongxin_calendar::{Answer, Period, Query, QueryError};

use crate::support::{cal, clean, d};

fn answer(line: &str) -> String {
    let q: Query = line.parse().unwrap();
    clean(cal().answer(&q).unwrap()).to_string()
}

#[test]
fn each_query_line_parses_and_answers() {
    assert_eq!(answer("is-workday 2024-02-04"), "true");
    assert_eq!(answer("add-workdays 2024-02-05 5"), "2024-02-18");
    assert_eq!(answer("sub-workdays 2024-02-18 5"), "2024-02-05");
    assert_eq!(answer("workdays-between 2024-02-01 2024-02-29"), "17");
    assert_eq!(answer("period-end 2024-01-31 1m"), "2024-02-29");
    assert_eq!(
        answer("period-end 2024-09-01 1个月"),
        "2024-10-08 顺延自2024-10-01"
    );
    assert_eq!(answer("  add-workdays\t2024-02-05   5 "), "2024-02-18");
}

#[test]
fn query_arguments_match_the_cli_words() {
    assert_eq!(
        Query::from_args(["add-workdays", "2024-02-05", "5"]).unwrap(),
        Query::AddWorkdays {
            start: d("2024-02-05"),
            n: 5
        }
    );
    assert_eq!(
        Query::from_args(["period-end", "2024-02-05", "30d"]).unwrap(),
        Query::PeriodEnd {
            start: d("2024-02-05"),
            period: Period::Days(30)
        }
    );
    assert_eq!(
        cal()
            .answer(&Query::IsWorkday(d("2024-02-10")))
            .unwrap()
            .value,
        Answer::Workday(false)
    );
}

#[test]
fn malformed_query_lines_are_rejected_with_the_reason() {
    assert_eq!("".parse::<Query>(), Err(QueryError::Empty));
    assert_eq!(
        "add-workday 2024-02-05 5".parse::<Query>(),
        Err(QueryError::UnknownCommand("add-workday".into()))
    );
    assert_eq!(
        "add-workdays 2024-02-05".parse::<Query>(),
        Err(QueryError::MissingArgument {
            command: "add-workdays",
            argument: "N"
        })
    );
    assert_eq!(
        "add-workdays 2024-2-30 5".parse::<Query>(),
        Err(QueryError::BadDate("2024-2-30".into()))
    );
    assert_eq!(
        "add-workdays 2024-02-05 -1".parse::<Query>(),
        Err(QueryError::BadNumber("-1".into()))
    );
    assert_eq!(
        "is-workday 2024-02-05 x".parse::<Query>(),
        Err(QueryError::ExtraArgument("x".into()))
    );
    assert!(matches!(
        "period-end 2024-02-05 3w".parse::<Query>(),
        Err(QueryError::BadPeriod(_))
    ));
    assert_eq!(
        "add-workdays 2024-02-05"
            .parse::<Query>()
            .unwrap_err()
            .to_string(),
        "add-workdays 缺少参数 N"
    );
}

#[test]
fn query_dates_must_be_written_in_full_iso_form() {
    for bad in [
        "2024-2-05",
        "2024/02/05",
        "24-02-05",
        "2024-02-5 ",
        "2024-02-30",
        "２０24-02-05",
        "2024-0a-05",
    ] {
        assert!(Query::from_args(["is-workday", bad]).is_err(), "{bad}");
    }
    assert_eq!(
        Query::from_args(["is-workday", "2024-02-29"]).unwrap(),
        Query::IsWorkday(d("2024-02-29"))
    );
}

#[test]
fn the_cli_forms_period_and_dekad_answer() {
    assert_eq!(
        answer("period 2024-03-01 2y"),
        "2026-03-02 顺延自2026-03-01"
    );
    assert_eq!(
        answer("dekad 2024-02-25"),
        "2024年2月下旬 2024-02-21 2024-02-29"
    );
    assert_eq!(
        answer("dekad 2023-02-21"),
        "2023年2月下旬 2023-02-21 2023-02-28"
    );
    assert_eq!(
        answer("dekad 2024-02-10"),
        "2024年2月上旬 2024-02-01 2024-02-10"
    );
    let q: Query = "dekad 2027-01-05".parse().unwrap();
    assert!(cal().answer(&q).unwrap_err().to_string().contains("2027"));
}
