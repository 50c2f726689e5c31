-- 保护图层 (同政办规发〔2023〕7号 第五条、第六条): permanent basic farmland, farmland, hazard
-- zones and planned borrow areas, imported by the natural-resources department as GeoJSON.
-- An import never replaces a row: the newest row of a kind is the layer in force, and the site
-- opinion's check records the rows it was computed on. The GeoJSON is the last column: SQLite reads a
-- row's columns in order, and the listings that leave it out then never touch its overflow pages.
CREATE TABLE land_layers (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    source        TEXT NOT NULL,
    source_date   TEXT NOT NULL,
    feature_count INTEGER NOT NULL,
    area_m2       REAL NOT NULL,
    imported_by   TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    geojson       TEXT NOT NULL
);
CREATE INDEX land_layers_kind_idx ON land_layers (kind, id);
