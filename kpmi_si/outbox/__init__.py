"""Background jobs handed to the broker through the database: see services.task_enqueue."""
