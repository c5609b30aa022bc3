"""`{% load masking %}` then `{{ value|masked_id }}` / `{{ value|masked_phone }}`: the one masking
rule of `core.masking`, used by templates instead of slicing numbers by hand."""

from django import template

from yiyang.core.masking import mask_id_number, mask_phone

register = template.Library()
register.filter("masked_id", mask_id_number)
register.filter("masked_phone", mask_phone)
