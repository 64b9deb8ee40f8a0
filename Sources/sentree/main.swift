print("sentree")
