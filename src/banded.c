/* banded: pending */
