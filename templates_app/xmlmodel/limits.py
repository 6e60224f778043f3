"""The numeric limits the guide sets on a template (and the one it does not)."""

# "The file size should be less than 1 MB." Read to the letter: 1 MB (1,048,576 bytes)
# is refused and 1,048,575 is the largest template. The upload form, the XML page and
# the model all use this one number; larger files are refused before any parsing, so a
# huge upload costs nothing but a length check.
MAX_TEMPLATE_BYTES = 1_048_575

# Custom fields per authentication method. The guide: None "Supports up to 5 custom
# fields", Basic "Supports up to 5 fields", Bearer Token "Supports up to 10 fields".
# For OAuth2 it gives no number; we allow 10, the largest limit it states anywhere,
# so no template the PBX could accept is refused here.
MAX_CUSTOM_FIELDS = {"none": 5, "basic": 5, "bearertoken": 10, "oauth2": 10}

# "Supports up to 20 custom headers."
MAX_HEADERS = 20
