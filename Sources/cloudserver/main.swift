import CloudServer

print("cloudserver")
