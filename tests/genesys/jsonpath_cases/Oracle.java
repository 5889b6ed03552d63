// Runs the real Jayway JsonPath on (path, document) pairs: the oracle behind jayway.json and
// tests/genesys/test_jsonpath_jayway.py.
//
// Input on stdin: a JSON array of {"path": "...", "doc": "<JSON text>" or null}.
// Output: a JSON array of {"definite": bool, "value": ..., "has_value": true} or
// {"error": "<Exception>: <message>"} or {"compile_error": "<Exception>: <message>"}.
//
// Class path: json-path 2.10.0, json-smart, accessors-smart, asm, slf4j-api.
import com.jayway.jsonpath.*;
import net.minidev.json.*;
import net.minidev.json.parser.*;
import java.util.*;

public class Oracle {
    public static void main(String[] args) throws Exception {
        String in = new String(System.in.readAllBytes(), "UTF-8");
        JSONArray cases = (JSONArray) new JSONParser(JSONParser.MODE_RFC4627).parse(in);
        JSONArray out = new JSONArray();
        for (Object o : cases) {
            JSONObject c = (JSONObject) o;
            String path = (String) c.get("path");
            String doc = (String) c.get("doc");
            JSONObject r = new JSONObject();
            JsonPath jp;
            try {
                jp = JsonPath.compile(path);
            } catch (Exception e) {
                r.put("compile_error", e.getClass().getSimpleName() + ": " + e.getMessage());
                out.add(r);
                continue;
            }
            r.put("definite", jp.isDefinite());
            if (doc != null) {
                try {
                    Object v = JsonPath.parse(doc).read(jp);
                    if (v instanceof Set) v = new ArrayList<Object>((Set<?>) v);
                    r.put("value", v);
                    r.put("has_value", true);
                } catch (Exception e) {
                    r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            out.add(r);
        }
        System.out.println(JSONValue.toJSONString(out));
    }
}
