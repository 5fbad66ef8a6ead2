"""AG Grid interop: read a grid's column ``filterModel`` into a :class:`Filter`, and back.

:func:`from_filter_model` reproduces AG Grid's *default* filter semantics with
clientcore's operators: text filters ignore case but not accents, number and date
``notEqual`` drop blank cells, ``inRange`` excludes both ends. Keyword options mirror the
``filterParams`` a grid may set (``include_blanks_in_equals=True``,
``in_range_inclusive=True``, ...). Unlike AG Grid, nothing is skipped silently: an unknown
filter type, option, key or column, or a missing value raises
:class:`~clientcore.FilterError` with a JSON-like ``path`` into the model.

:func:`to_filter_model` goes the other way for what a grid can express (an AND of column
filters, each one condition or one AND/OR of conditions) and raises
:class:`~clientcore.FilterError` naming what it cannot.

>>> from clientcore.query.aggrid import from_filter_model, to_filter_model
>>> model = {"name": {"filterType": "text", "type": "contains", "filter": "café"},
...          "version": {"filterType": "number", "type": "inRange", "filter": 10, "filterTo": 20}}
>>> flt = from_filter_model(model)
>>> flt.matches({"name": "CAFÉ Central", "version": 15})
True
>>> flt.matches({"name": "Cafe Central", "version": 15})  # accents count, as in AG Grid
False
>>> flt.matches({"name": "Café Central", "version": 20})  # inRange excludes its ends
False
>>> to_filter_model(flt) == model
True
>>> from_filter_model({"name": {"filterType": "text", "type": "like", "filter": "x"}})
... # doctest: +ELLIPSIS
Traceback (most recent call last):
...
clientcore._errors.FilterError: unknown text filter option 'like' on column 'name' ... @ $.name.type
"""

from clientcore.query._aggrid_read import AgGridOptions, AgGridWriteOptions, from_filter_model
from clientcore.query._aggrid_write import to_filter_model

__all__ = ["AgGridOptions", "AgGridWriteOptions", "from_filter_model", "to_filter_model"]
