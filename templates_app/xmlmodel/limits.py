"""The numeric limits the guide sets on a template (and the one it does not)."""

from .vocabulary import AUTH_METHODS

# "The file size should be less than 1 MB." Read to the letter: 1 MB (1,048,576 bytes)
# is refused and 1,048,575 is the largest template. The upload form, the XML page and
# the model all use this one number; larger files are refused before any parsing, so a
# huge upload costs nothing but a length check.
MAX_TEMPLATE_BYTES = 1_048_575

# Custom fields per authentication method (vocabulary.AUTH_METHODS says why).
MAX_CUSTOM_FIELDS = {spec.name: spec.max_custom_fields for spec in AUTH_METHODS.values()}

# "Supports up to 20 custom headers."
MAX_HEADERS = 20
