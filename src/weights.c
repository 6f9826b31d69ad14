/* weights: pending */
