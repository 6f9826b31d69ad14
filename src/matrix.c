/* matrix: pending */
