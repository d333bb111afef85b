"""Small local databases shared by the packages that keep user data (conversations, reviews)."""
