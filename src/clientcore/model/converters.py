"""The model's value converters, for hosts and packages that declare attrs classes of
their own with the same rules as the model's (bulk operations, custom records).

Each is the one converter the model itself uses for that kind of value:

>>> import datetime as dt
>>> opt_str("  Gent "), opt_str("   "), text_or_empty(None)
('Gent', None, '')
>>> opt_date("31/01/2020") == dt.date(2020, 1, 31)
True
>>> custom_scalar(["b", "a"]) == frozenset({"a", "b"})
True
"""

from clientcore.model._convert import custom_scalar, opt_date, opt_str, text_or_empty

__all__ = ["custom_scalar", "opt_date", "opt_str", "text_or_empty"]
