/* kernel: pending */
