from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    DATABASE_URL: str = "sqlite:///./blog.db"
    SECRET_KEY: str = "change-me"


settings = Settings()


class MailConfig:
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
