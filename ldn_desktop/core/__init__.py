"""Pure calculation and rules: no Qt, no database, no files.

Everything here takes frozen dataclasses (or plain values) and returns frozen dataclasses,
with Decimal for every dose, mass and volume. Rounding happens only in `dose_text`.
"""
