"""Identifiers that look random but are not secrets."""
import uuid

TENANT_ID = "8c6f1e2a-3b4d-4f5e-9a8b-7c6d5e4f3a2b"
REQUEST_NAMESPACE = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
RELEASE_COMMIT = "3f786850e387550fdab836ed7e6dc881de23001b"
ARTIFACT_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
password_hash = "$2b$12$KIXQJQ0vIh0sSUl6QUlbW.2nE9p5m8PqjN8i7mKfQ0o8zv3Yw1rNa"
api_key_id = "k-7f3a9c2e41"
token_endpoint = "https://oauth2.googleapis.com/token"
TOKEN_TTL_SECONDS = 3600
secret_name = "prod/billing/db-password"


def new_request_id() -> str:
    return str(uuid.uuid5(REQUEST_NAMESPACE, "gavel"))
