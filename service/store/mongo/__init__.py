"""The MongoDB engine: service.store.mongo.store.MongoStore."""
