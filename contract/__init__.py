"""The snapshot contract: the one vocabulary shared by the back office and the publisher.

Code lists with their Chinese labels (``codes``), the public URL map (``urls``),
the versioned snapshot schema and its validation (``schema``), the formulas of
the published figures (``figures``) and the one rule for links (``links``). Pure Python and jsonschema only: this
package never imports Flask, SQLAlchemy, Pelican or any other part of Sunshine,
so both sides can depend on it and nothing else spells these things twice.
"""

from .schema import SCHEMA, SCHEMA_VERSION, ContractError, validate_record, validate_snapshot

__all__ = ["SCHEMA", "SCHEMA_VERSION", "ContractError", "validate_record", "validate_snapshot"]
