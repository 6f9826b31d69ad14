/* scale: pending */
