def user_payload(email: str = "a@example.com") -> dict[str, str]:
    return {"email": email, "full_name": "Ada"}
