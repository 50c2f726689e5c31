-- 保护图层 (同政办规发〔2023〕7号 第五条、第六条): permanent basic farmland, farmland, hazard
-- zones and planned borrow areas, imported by the natural-resources department as GeoJSON.
-- An import never replaces a row: the newest row of a kind is the layer in force, and a case's
-- check records which row it was computed on.
CREATE TABLE land_layers (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    source        TEXT NOT NULL,
    source_date   TEXT NOT NULL,
    feature_count INTEGER NOT NULL,
    area_m2       REAL NOT NULL,
    geojson       TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    imported_at   TEXT NOT NULL
);
CREATE INDEX land_layers_kind_idx ON land_layers (kind, id);
