"""The API's resources, one router module each; main.ROUTERS mounts them under /v1/."""
