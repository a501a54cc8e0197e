import json, random, urllib.request
random.seed(42)
base = "http://127.0.0.1:18080"
def post(events):
    req = urllib.request.Request(base + "/v1/events", data=json.dumps({"events": events}).encode(),
        headers={"content-type": "application/json"}, method="POST")
    return urllib.request.urlopen(req).read()
events = []
n = 0
for round in range(6):
    for post_id in range(1, 61):
        for user in random.sample(range(1, 41), 8):
            action = random.choice(["increment", "increment", "decrement"])
            e = {"post_id": post_id, "counter": "likes", "action": action, "user_id": user}
            if random.random() < 0.2:
                e["idempotency_key"] = f"r{round}-p{post_id}-u{user}"
            events.append(e)
            if "idempotency_key" in e and random.random() < 0.5:
                events.append(dict(e))  # a retried copy
        for v in range(random.randint(0, 5)):
            events.append({"post_id": post_id, "counter": "views", "action": "increment"})
batch = []
for e in events:
    batch.append(e)
    if len(batch) == 500:
        post(batch); batch = []
if batch: post(batch)
print(len(events))
