/* resample: pending */
