"""One typed declaration per file format, the reader that structures YAML and JSON into
them with FILE:LINE:COL problems, and the JSON Schemas written from them."""
