-- 比率指标: a rate (畜禽粪污资源化利用率) is entered as its numerator and denominator (利用量 and
-- 产生量, in thousandths of their own unit); the value kept beside them is the rate they give.
ALTER TABLE ind_values ADD COLUMN numerator BIGINT;
ALTER TABLE ind_values ADD COLUMN denominator BIGINT;
