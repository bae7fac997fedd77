"""Interface labels in Turkish and English, and the choice between them."""

from __future__ import annotations

LANGUAGES = ("tr", "en")

LABELS: dict[str, dict[str, str]] = {
    "tr": {
        "title": "Makaleye sorun",
        "intro": "Millî Mücadele döneminde Türk-Sovyet ilişkileri üzerine makaleye Türkçe ya da İngilizce "
                 "sorun. Yanıtlar makaleden aynen alınan cümlelerdir; her birinin ardında makalenin kaynak "
                 "gösterimi yer alır.",
        "chat": "Sohbet",
        "references": "Kaynakça",
        "question": "Sorunuz",
        "placeholder": "Örneğin: Moskova Antlaşması ne zaman imzalandı?",
        "send": "Sor",
        "clear": "Temizle",
        "examples": "Örnek sorular",
        "language": "Dil",
        "sources": "Kaynak pasajlar",
        "reference": "Kaynak",
        "no_answer": "Makalede yanıt bulunamadı",
        "section": "Bölüm",
        "cited_by": "Bu kaynağı gösteren cümleler",
        "pages": "s.",
        "following": "(sonraki kaynak gösterimiyle desteklenir)",
        "references_intro": "Makalede gösterilen her kaynak ve onu gösteren cümleler, ilk kullanım sırasıyla.",
        "empty": "Makaleden alıntılanmış, kaynak gösterimli yanıtlar için bir soru yazın.",
    },
    "en": {
        "title": "Ask the article",
        "intro": "Ask the article on Turkish-Soviet relations during the National Struggle, in Turkish or "
                 "English. Answers are sentences copied from the article, each followed by the article's "
                 "own reference.",
        "chat": "Chat",
        "references": "References",
        "question": "Your question",
        "placeholder": "For example: When was the Treaty of Moscow signed?",
        "send": "Ask",
        "clear": "Clear",
        "examples": "Example questions",
        "language": "Language",
        "sources": "Source passages",
        "reference": "Reference",
        "no_answer": "No answer in the article",
        "section": "Section",
        "cited_by": "Sentences citing it",
        "pages": "p.",
        "following": "(supported by the next reference)",
        "references_intro": "Every reference the article gives and the sentences citing it, in order of first use.",
        "empty": "Type a question to get answers quoted from the article, with their references.",
    },
}

EXAMPLES = [
    "Moskova Antlaşması ne zaman imzalandı?",
    "Sovyet Rusya Millî Mücadele'ye nasıl yardım etti?",
    "What did Mustafa Kemal ask Lenin for in his letter?",
    "Why did Soviet Russia support the Ankara government?",
]

