"""siksval: data-quality and verification toolkit for Indonesia's social-welfare registry."""

__version__ = "0.1.0"
