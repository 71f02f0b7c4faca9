import uuid
from typing import Annotated

from pydantic import Field

EntityId = Annotated[uuid.UUID, Field(description="The entity's id")]
