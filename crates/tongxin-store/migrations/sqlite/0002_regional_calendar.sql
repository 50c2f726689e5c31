-- Regional holiday notices (地方节假日安排) entered by an administrator, year by year, each
-- citing its notice. They add to (and for a year also present in the built-in data, replace)
-- the region's overlay on the national calendar.

CREATE TABLE regional_years (
    region     TEXT NOT NULL,
    year       INTEGER NOT NULL,
    notice     TEXT NOT NULL,
    verified   INTEGER NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (region, year)
);

CREATE TABLE regional_days (
    region TEXT NOT NULL,
    year   INTEGER NOT NULL,
    day    TEXT NOT NULL,
    kind   TEXT NOT NULL,
    name   TEXT,
    PRIMARY KEY (region, day),
    FOREIGN KEY (region, year) REFERENCES regional_years (region, year)
);
