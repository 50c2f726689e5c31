-- 失信名单 (同政办规发〔2023〕7号 第二十四条): applicants barred from temporary land for five
-- years from the decision. `subject` is the 统一社会信用代码 or the 居民身份证号码, upper-case.
CREATE TABLE dishonesty_list (
    id           INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject      TEXT NOT NULL,
    name         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    decision     TEXT NOT NULL,
    decided_on   TEXT NOT NULL,
    until_on     TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX dishonesty_subject_idx ON dishonesty_list (subject, until_on);
