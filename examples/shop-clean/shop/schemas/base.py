from pydantic import BaseModel, ConfigDict


class AppSchemaBase(BaseModel):
    model_config = ConfigDict(from_attributes=True)
