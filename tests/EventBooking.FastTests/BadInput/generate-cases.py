# Writes cases.json, the bad-input suite's data: python3 generate-cases.py. Edit here, regenerate, commit both.
import json
cases=[]
def add(id, category, expect, method="POST", path="/api/orders", template=None, set=None, remove=None, raw=None,
        contentType="application/json", truncate=None, auth=None, echo=False, serverLevel=False):
    c={"id":id,"category":category,"method":method,"path":path,"expect":expect}
    if template: c["template"]=template
    if set is not None: c["set"]=set
    if remove: c["remove"]=remove
    if raw is not None: c["raw"]=raw
    if contentType != "application/json" or (template is None and raw is None): c["contentType"]=contentType
    if truncate: c["truncate"]=truncate
    if auth: c["auth"]=auth
    if echo: c["echo"]=True
    if serverLevel: c["serverLevel"]=True
    cases.append(c)

# ---- orders: malformed and truncated JSON
for name, raw in [("unclosed-object","{"),("dangling-property",'{"customerName":'),("array-root","[]"),("null-root","null"),
                  ("string-root",'"order"'),("number-root","123"),("extra-closing-brace",'{"customerName":"A"}}'),
                  ("single-quotes","{'customerName':'A'}"),("trailing-comma",'{"customerName":"A",}'),("comment",'/* hi */ {}'),
                  ("empty-body",""),("whitespace-only","   \n  "),("bare-word","order please"),("unquoted-key",'{customerName:"A"}'),
                  ("nan-literal",'{"guestCount": NaN}'),("bom-then-junk","\ufeff{{")]:
    add(f"orders/malformed/{name}","malformed-json",400,raw=raw)
for frac in [0.25,0.5,0.75,0.99]:
    add(f"orders/truncated/{int(frac*100)}pct","truncated-json",400,template="order",truncate=frac)
# wrong types
for field,value in [("guestCount","ten"),("guestCount",12.5),("guestCount",True),("guestCount",[120]),("eventDate",20270101),
                    ("eventDate",{"y":2027}),("email",123),("email",["a@example.com"]),("consentToContact","yes"),("consentToContact",1),
                    ("customerName",{}),("customerName",[]),("customerName",42),("eventType",3),("notes",42),("budgetRange",True),("phone",447700900123)]:
    add(f"orders/wrong-type/{field}-{type(value).__name__}","wrong-types",400,template="order",set={field:value})
# nulls and missing
for field in ["customerName","email","eventType","eventDate","guestCount","consentToContact"]:
    add(f"orders/null/{field}","nulls",400,template="order",set={field:None})
    add(f"orders/missing/{field}","missing-fields",400,template="order",remove=[field])
add("orders/missing/everything","missing-fields",400,raw="{}")
# extra fields: accepted, never honoured
add("orders/extra/status-confirmed","extra-fields",201,template="order",set={"status":"confirmed"})
add("orders/extra/own-reference","extra-fields",201,template="order",set={"reference":"EB-AAAA-AAAA"})
add("orders/extra/own-id","extra-fields",201,template="order",set={"id":"00000000-0000-0000-0000-000000000001"})
add("orders/extra/created-at","extra-fields",201,template="order",set={"createdAt":"2000-01-01T00:00:00Z"})
add("orders/extra/unknown-nested","extra-fields",201,template="order",set={"x":{"y":[1,2,3]}})
# huge strings and bodies
add("orders/huge/name-10k","huge-input",400,template="order",set={"customerName":"{{repeat:A:10000}}"})
add("orders/huge/notes-2001","huge-input",400,template="order",set={"notes":"{{repeat:n:2001}}"})
add("orders/huge/email-5000","huge-input",400,template="order",set={"email":"{{repeat:a:4990}}@example.com"})
add("orders/huge/venue-1000","huge-input",400,template="order",set={"venue":"{{repeat:v:1000}}"})
add("orders/huge/phone-200","huge-input",400,template="order",set={"phone":"{{repeat:1:200}}"})
add("orders/huge/body-70k","huge-input",413,template="order",set={"notes":"{{repeat:x:70000}}"})
add("orders/huge/whitespace-1mb","huge-input",413,raw="{{repeat: :1000000}}")
# deep nesting
add("orders/nested/notes-100-deep","deep-nesting",400,raw='{"notes":' + "["*100 + "]"*100 + "}")
add("orders/nested/root-1000-deep","deep-nesting",400,raw='{"a":'*1000 + "1" + "}"*1000)
add("orders/nested/array-5000-deep","deep-nesting",400,raw="["*5000 + "]"*5000)
# numbers out of range
for name,value in [("zero",0),("negative",-1),("over-10000",10001),("int-overflow",2147483648),("huge-exponent","1e309"),("twenty-digits","99999999999999999999"),("negative-zero","-0")]:
    if isinstance(value,str):
        add(f"orders/range/guests-{name}","numbers-out-of-range",400,raw='{"customerName":"A","email":"a@example.com","eventType":"wedding","eventDate":"{{date:+30}}","consentToContact":true,"guestCount":'+value+'}')
    else:
        add(f"orders/range/guests-{name}","numbers-out-of-range",400,template="order",set={"guestCount":value})
# invalid dates
for name,value in [("feb-30","2027-02-30"),("month-13","2027-13-01"),("year-zero","0000-01-01"),("far-future","9999-12-31"),("yesterday","{{date:-1}}"),
                   ("unpadded","2027-1-1"),("slashes","2027/01/01"),("two-digit-year","27-01-01"),("over-3-years","{{date:+1200}}"),("with-time","2027-01-01T10:00:00"),("empty",""),("words","next friday")]:
    add(f"orders/date/{name}","invalid-dates",400,template="order",set={"eventDate":value})
# unicode edge cases
add("orders/unicode/nul-in-name","unicode",400,template="order",set={"customerName":"Ada\u0000Lovelace"})
add("orders/unicode/bell-in-notes","unicode",400,template="order",set={"notes":"ring \u0007"})
add("orders/unicode/rtl-override-in-name","unicode",400,template="order",set={"customerName":"Ada \u202egnp.exe"})
add("orders/unicode/zero-width-only-name","unicode",400,template="order",set={"customerName":"\u200b\u200b"})
add("orders/unicode/whitespace-only-name","unicode",400,template="order",set={"customerName":"   "})
add("orders/unicode/lone-surrogate","unicode",400,raw='{"customerName":"\\ud800","email":"a@example.com"}')
add("orders/unicode/invalid-utf8","unicode",400,raw="{{hex:7b22637573746f6d65724e616d65223a22ff227d}}")
add("orders/unicode/arabic-name","unicode-accepted",201,template="order",set={"customerName":"محمد الأحمد"},echo=True)
add("orders/unicode/hebrew-notes","unicode-accepted",201,template="order",set={"notes":"שלום, אנחנו מתחתנים"},echo=True)
add("orders/unicode/emoji-name","unicode-accepted",201,template="order",set={"customerName":"Zoë 🎉 Müller"},echo=True)
add("orders/unicode/cjk-venue","unicode-accepted",201,template="order",set={"venue":"東京都 渋谷区"},echo=True)
add("orders/unicode/combining-marks","unicode-accepted",201,template="order",set={"customerName":"Zoe\u0308 Ame\u0301lie"},echo=True)
add("orders/unicode/zwj-emoji-notes","unicode-accepted",201,template="order",set={"notes":"Family: 👨‍👩‍👧‍👦"},echo=True)
# html / script / sql / csv payloads: stored and shown back as text
for name,field,value in [("script-name","customerName","<script>alert(1)</script>"),("img-onerror-notes","notes","<img src=x onerror=alert(1)>"),
                         ("iframe-venue","venue","<iframe src=javascript:alert(1)>"),("entity-name","customerName","&lt;b&gt; &amp; &#x3C;"),
                         ("svg-notes","notes","<svg onload=alert(1)>")]:
    add(f"orders/html/{name}","html-payloads",201,template="order",set={field:value},echo=True)
for name,field,value in [("drop-table-name","customerName","Robert'); DROP TABLE Orders;--"),("or-1-notes","notes","' OR '1'='1"),
                         ("union-venue","venue","x' UNION SELECT * FROM AspNetUsers--"),("comment-name","customerName","admin'--")]:
    add(f"orders/sql/{name}","sql-payloads",201,template="order",set={field:value},echo=True)
for name,field,value in [("equals-name","customerName","=cmd|' /C calc'!A0"),("plus-venue","venue","+1+1"),("minus-notes","notes","-2+3"),
                         ("at-name","customerName","@SUM(1+1)"),("hyperlink-notes","notes","=HYPERLINK(\"http://evil.example\")")]:
    add(f"orders/csv/{name}","csv-formula-payloads",201,template="order",set={field:value},echo=True)
# content types
for name,ct in [("text-plain","text/plain"),("xml","application/xml"),("form","application/x-www-form-urlencoded"),("multipart","multipart/form-data; boundary=x"),
                ("none",None),("octet","application/octet-stream")]:
    add(f"orders/content-type/{name}","wrong-content-type",415,template="order",contentType=ct)
# methods
for method,path in [("PUT","/api/orders"),("DELETE","/api/orders"),("PATCH","/api/orders"),("DELETE","/api/orders/lookup"),
                    ("PUT","/api/promo/registrations"),("DELETE","/api/promo"),("POST","/api/promo"),("POST","/api/admin/stats")]:
    add(f"methods/{method.lower()}{path.replace('/','-')}","wrong-methods",405,method=method,path=path,template="order" if method!="DELETE" else None, contentType="application/json")

# ---- promo sign-ups
P="/api/promo/registrations"
for name,raw in [("unclosed",'{"email":'),("array","[]"),("null","null"),("trailing-comma",'{"email":"a@example.com",}'),("empty","")]:
    add(f"promo/malformed/{name}","malformed-json",400,path=P,raw=raw)
add("promo/truncated/half","truncated-json",400,path=P,template="signup",truncate=0.5)
for field,value in [("email",1),("email",["a@example.com"]),("name",[]),("name",{"first":"A"}),("email",True)]:
    add(f"promo/wrong-type/{field}-{type(value).__name__}","wrong-types",400,path=P,template="signup",set={field:value})
add("promo/null/email","nulls",400,path=P,template="signup",set={"email":None})
add("promo/missing/email","missing-fields",400,path=P,template="signup",remove=["email"])
add("promo/missing/everything","missing-fields",400,path=P,raw="{}")
for name,email in [("no-domain","a@"),("no-local","@example.com"),("space","a b@example.com"),("no-dot","a@localhost"),("two-ats","a@@example.com"),
                   ("long-local","{{repeat:a:300}}@example.com"),("trailing-dot","a@example.com."),("html","<a>@example.com")]:
    add(f"promo/email/{name}","invalid-email",400,path=P,template="signup",set={"email":email})
add("promo/huge/name-1000","huge-input",400,path=P,template="signup",set={"name":"{{repeat:N:1000}}"})
add("promo/huge/name-5000","huge-input",413,path=P,template="signup",set={"name":"{{repeat:N:5000}}"})
add("promo/huge/body-70k","huge-input",413,path=P,template="signup",set={"name":"{{repeat:N:70000}}"})
add("promo/nested/deep","deep-nesting",400,path=P,raw='{"name":'+"["*200+"]"*200+"}")
add("promo/unicode/nul-in-name","unicode",400,path=P,template="signup",set={"name":"A\u0000B"})
add("promo/unicode/rtl-override","unicode",400,path=P,template="signup",set={"name":"x\u202eyz"})
for name,ct in [("text-plain","text/plain"),("form","application/x-www-form-urlencoded"),("none",None)]:
    add(f"promo/content-type/{name}","wrong-content-type",415,path=P,template="signup",contentType=ct)

# ---- lookups and ids: path traversal, probing (a look-up is POST /api/orders/lookup {reference, email}: no email in a URL)
L="/api/orders/lookup"
for name,reference in [("traversal-reference","../../etc/passwd"),("dots-reference",".."),("sql-reference","' OR 1=1--"),
                       ("unknown-reference","EB-AAAA-AAAA"),("nul-reference","EB-\u0000")]:
    add(f"lookups/{name}","ids-and-traversal",404,path=L,raw=json.dumps({"reference":reference,"email":"a@example.com"}))
add("lookups/long-reference","ids-and-traversal",400,path=L,raw=json.dumps({"reference":"A"*4000,"email":"a@example.com"}))
add("lookups/missing-email","ids-and-traversal",400,path=L,raw='{"reference":"EB-AAAA-AAAA"}')
add("lookups/missing-reference","ids-and-traversal",400,path=L,raw='{"email":"a@example.com"}')
add("lookups/email-wrong-type","ids-and-traversal",400,path=L,raw='{"reference":"EB-AAAA-AAAA","email":["x"]}')
add("lookups/email-in-the-query-string","ids-and-traversal",404,method="GET",path="/api/orders/EB-AAAA-AAAA?email=a@example.com")
for name,path in [("registration-traversal","/api/promo/registrations/..%2F..%2Fadmin"),("registration-sql","/api/promo/registrations/1'%20OR%20'1'='1"),
                  ("registration-long","/api/promo/registrations/{{repeat:f:4000}}"),
                  ("ws-traversal-without-upgrade","/ws/promo/..%2F..%2Fetc%2Fpasswd"),("ws-unknown-without-upgrade","/ws/promo/not-a-registration")]:
    add(f"lookups/{name}","ids-and-traversal",404,method="GET",path=path)
# A NUL in the address is refused by Kestrel itself, before any application code: a bare 400 without a body.
add("lookups/registration-nul","ids-and-traversal",400,method="GET",path="/api/promo/registrations/%00",serverLevel=True)
add("orders/unicode/zero-width-notes","unicode",400,template="order",set={"notes":"\u200b\u2060"})

# ---- sign-in (never a well-formed wrong password here: that would count towards the lockout)
S="/api/admin/auth/sign-in"
for name,raw in [("unclosed",'{"email":'),("array","[]"),("empty","")]:
    add(f"sign-in/malformed/{name}","malformed-json",400,path=S,raw=raw)
add("sign-in/missing/password","missing-fields",400,path=S,template="signin",remove=["password"])
add("sign-in/null/email","nulls",400,path=S,template="signin",set={"email":None})
add("sign-in/wrong-type/password","wrong-types",400,path=S,template="signin",set={"password":12345678901234})
add("sign-in/huge/password","huge-input",400,path=S,template="signin",set={"password":"{{repeat:p:10000}}"})
add("sign-in/content-type/form","wrong-content-type",415,path=S,template="signin",contentType="application/x-www-form-urlencoded")

# ---- admin endpoints, signed in as the manager
A="/api/admin/orders"
for name,q in [("page-zero","page=0"),("page-negative","page=-1"),("page-size-zero","pageSize=0"),("page-size-words","pageSize=lots"),
               ("page-overflow","page=99999999999"),("sort-unknown","sort=password"),("dir-sideways","dir=sideways"),("status-unknown","status=paid"),
               ("type-unknown","eventType=funeral"),("event-from-words","eventFrom=yesterday"),("created-from-garbage","createdFrom=2027-99-99"),
               ("search-5000","search={{repeat:s:5000}}")]:
    add(f"admin/list/{name}","admin-queries",400,method="GET",path=f"{A}?{q}",auth="manager")
add("admin/export/sort-unknown","admin-queries",400,method="GET",path=f"{A}/export.csv?sort=;DROP",auth="manager")
add("admin/stats/days-7","admin-queries",400,method="GET",path="/api/admin/stats?days=7",auth="manager")
add("admin/stats/days-words","admin-queries",400,method="GET",path="/api/admin/stats?days=many",auth="manager")
add("admin/order/not-a-guid","ids-and-traversal",404,method="GET",path=f"{A}/not-a-guid",auth="manager")
add("admin/order/traversal","ids-and-traversal",404,method="GET",path=f"{A}/..%2F..%2Fstats",auth="manager")
add("admin/order/unknown-guid","ids-and-traversal",404,method="GET",path=f"{A}/00000000-0000-0000-0000-000000000000",auth="manager")
O=f"{A}/{{{{order-id}}}}"
add("admin/patch/malformed","malformed-json",400,method="PATCH",path=O,raw='{"status":',auth="manager")
add("admin/patch/status-unknown","admin-patch",400,method="PATCH",path=O,template="status",set={"status":"paid"},auth="manager")
add("admin/patch/status-null","admin-patch",400,method="PATCH",path=O,template="status",set={"status":None},auth="manager")
add("admin/patch/version-missing","admin-patch",400,method="PATCH",path=O,template="status",remove=["version"],auth="manager")
add("admin/patch/version-words","admin-patch",400,method="PATCH",path=O,template="status",set={"version":"latest"},auth="manager")
add("admin/patch/version-stale","admin-patch",409,method="PATCH",path=O,template="status",set={"version":7},auth="manager")
add("admin/patch/illegal-move","admin-patch",400,method="PATCH",path=O,template="status",set={"status":"confirmed"},auth="manager")
add("admin/patch/note-5000","admin-patch",400,method="PATCH",path=O,template="status",set={"note":"{{repeat:n:5000}}"},auth="manager")
add("admin/patch/note-nul","admin-patch",400,method="PATCH",path=O,template="status",set={"note":"a\u0000b"},auth="manager")
add("admin/patch/content-type","wrong-content-type",415,method="PATCH",path=O,template="status",contentType="text/plain",auth="manager")
add("admin/patch/unknown-order","ids-and-traversal",404,method="PATCH",path=f"{A}/00000000-0000-0000-0000-000000000000",template="status",auth="manager")

ids=[c["id"] for c in cases]
assert len(ids)==len(set(ids)), [i for i in ids if ids.count(i)>1]
import os
json.dump({"cases":cases}, open(os.path.join(os.path.dirname(os.path.abspath(__file__)),"cases.json"),"w"), indent=1, ensure_ascii=False)
from collections import Counter
print(len(cases)); print(Counter(c["category"] for c in cases))
