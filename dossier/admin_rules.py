"""One rule for what the admin's lists take from the URL, shared by every ModelAdmin in the project.

A list's query string may only hold the parameters its own list filters (and its date drill-down)
write, with values the database can take: anything else is a 400 (Django turns the
DisallowedModelAdminLookup that a refused lookup raises into one). So no `?reviewer__password__startswith=`,
no `?title__regex=(`, no `?id__in=<25 digits>`, no NUL byte for PostgreSQL to refuse.
Searches are bounded the same way: at most MAX_SEARCH characters and no NUL byte.
"""
import re

from django.contrib import admin, messages
from django.contrib.admin.filters import (
    AllValuesFieldListFilter,
    BooleanFieldListFilter,
    ChoicesFieldListFilter,
    DateFieldListFilter,
    EmptyFieldListFilter,
    FieldListFilter,
    ListFilter,
    RelatedFieldListFilter,
)
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.db import models

INT64 = (-(2**63), 2**63 - 1)
INTEGER = re.compile(r"-?[0-9]{1,19}")
# The date drill-down's parts, with the values it can turn into dates and back (a year of 9999 would
# need a 10000 to end it).
DATE_PARTS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


def is_int64(value):
    return bool(INTEGER.fullmatch(value)) and INT64[0] <= int(value) <= INT64[1]


def filter_class_for(field, filter_class=None):
    """The FieldListFilter class Django's admin uses for `field` (its registry, first match wins)."""
    if filter_class is not None and filter_class is not FieldListFilter.create:
        return filter_class
    for test, list_filter_class in FieldListFilter._field_list_filters:
        if test(field):
            return list_filter_class
    return None


def field_filter_parameters(field, field_path, filter_class):
    """{parameter: the field its value is compared with} for one field's list filter, as Django names them."""
    if issubclass(filter_class, EmptyFieldListFilter):
        return {f"{field_path}__isempty": None}
    if issubclass(filter_class, RelatedFieldListFilter):
        return {f"{field_path}__{field.target_field.name}__exact": field.target_field, f"{field_path}__isnull": None}
    if issubclass(filter_class, (BooleanFieldListFilter, ChoicesFieldListFilter)):
        return {f"{field_path}__exact": field, f"{field_path}__isnull": None}
    if issubclass(filter_class, DateFieldListFilter):
        return {f"{field_path}__gte": field, f"{field_path}__lt": field, f"{field_path}__isnull": None}
    if issubclass(filter_class, AllValuesFieldListFilter):
        return {field_path: field, f"{field_path}__isnull": None}
    return {}  # a filter class this rule does not know takes nothing from the URL until it is taught here


class LookupRule:
    """Mixed into a ModelAdmin: the URL's lookups and searches its list accepts."""

    MAX_SEARCH = 200

    def filter_parameters(self, request):
        """{parameter: field to check its value against, or None} for every parameter the list filters write."""
        parameters = {}
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, ListFilter):
                parameters.update({name: None for name in [getattr(item, "parameter_name", None)] if name})
                continue
            field_path, filter_class = item if isinstance(item, (tuple, list)) else (item, None)
            if isinstance(field_path, models.Field):
                field, field_path = field_path, field_path.name
            else:
                field = get_fields_from_path(self.model, field_path)[-1]
            if klass := filter_class_for(field, filter_class):
                parameters.update(field_filter_parameters(field, field_path, klass))
        return parameters

    def lookup_allowed(self, lookup, value, request=None):
        if "\x00" in lookup or "\x00" in str(value):
            return False
        # Raw-id popups filter by the relation's limit_choices_to, as Django's own rule allows.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            fk_lookup = fk_lookup() if callable(fk_lookup) else fk_lookup
            if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
                return True
        if self.date_hierarchy:
            field, _, part = lookup.rpartition("__")
            if field == self.date_hierarchy and part in DATE_PARTS:
                low, high = DATE_PARTS[part]
                return is_int64(str(value)) and low <= int(value) <= high
        parameters = self.filter_parameters(request)
        if lookup not in parameters:
            return False
        field = parameters[lookup]
        if isinstance(field, models.IntegerField) and not is_int64(str(value)):
            return False
        return True

    def get_search_results(self, request, queryset, search_term):
        # SQLite refuses very long LIKE patterns and PostgreSQL any NUL byte; no real search needs either.
        if len(search_term) > self.MAX_SEARCH:
            messages.error(request, f"Search for at most {self.MAX_SEARCH} characters.")
            return queryset.none(), False
        if "\x00" in search_term:
            messages.error(request, "A search cannot contain a NUL character.")
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


def with_lookup_rule(site=admin.site, apps=("axes",)):
    """Re-register the ModelAdmins other apps registered (django-axes') with the same rule."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label in apps and not isinstance(model_admin, LookupRule):
            cls = type(model_admin)
            site.unregister(model)
            site.register(model, type(cls.__name__, (LookupRule, cls), {"__module__": __name__}))
