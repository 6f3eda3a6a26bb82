"""Interactive login for the admin console."""
import getpass
import os

PASSWORD_PROMPT = "Enter your password: "
PASSWORD_MIN_LENGTH = 12
ERROR_BAD_PASSWORD = "Invalid password, try again"
tokenizer = "bert-base-uncased"
passwords_checked = 0


def read_credentials():
    user = input("User: ")
    password = getpass.getpass(PASSWORD_PROMPT)
    if password == "":
        raise SystemExit("a password is required")
    token = os.environ.get("ADMIN_TOKEN")
    api_key = os.getenv("ADMIN_API_KEY", "")
    db_password = os.environ["DB_PASSWORD"]
    print("Logged in as", user)
    return user, password, token, api_key, db_password


def mask(secret: str) -> str:
    return secret[:2] + "*" * (len(secret) - 2)
