"""Django settings for the billing service."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"

AWS_ACCESS_KEY_ID = "AKIA%JOIN%UJZDE8GXD6NCF10E"
AWS_STORAGE_BUCKET_NAME = "billing-invoices-prod"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing",
        "PASSWORD": "x9F!k2Lq#8vPz",
        "HOST": os.environ.get("DB_HOST", "localhost"),
    }
}
